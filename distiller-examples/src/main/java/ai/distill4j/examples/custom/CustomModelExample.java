package ai.distill4j.examples.custom;

import ai.distill4j.distill.AdaptedModel;
import ai.distill4j.distill.BasicTrainer;
import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.Distiller;
import ai.distill4j.distill.Distillers;
import ai.distill4j.distill.GeneralDistiller;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.Projection;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.examples.embedding.RunClock;
import ai.distill4j.examples.multiteacher.ClassificationReport;
import ai.distill4j.examples.multiteacher.ClassifierRow;
import ai.distill4j.examples.multiteacher.Logits;
import ai.distill4j.examples.multiteacher.MultiTeacherExample;
import ai.distill4j.examples.multiteacher.SpamTask;
import ai.distill4j.examples.multiteacher.SpamTeachers;
import ai.distill4j.examples.multiteacher.TeacherBudget;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.io.BertModels;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A custom, non-BERT student distilled from a BERT teacher: a {@link ConvTextClassifier} (a 1-D convolution over
 * the teacher tokenizer's ids, built from DJL blocks) plugged into the engine through a user-written
 * {@link ConvDistillModel} and {@link ConvAdaptor}, and trained by a {@link GeneralDistiller} whose teacher is a
 * spam classifier fine-tuned from all-MiniLM-L6-v2 ({@link SpamTeachers}, shared with the multi-teacher example).
 *
 * <p>The loss: KD on the logits at the configured temperature, plus (weight {@code sentence_weight}) an
 * {@code embedding_mse} match of the student's pooled convolution features, projected to the teacher's width, to
 * the teacher's mean-pooled last hidden state; the hard labels only with {@code hard_label_weight > 0}. For
 * comparison the same student is also trained on the gold labels alone ({@link BasicTrainer}, same data, epochs and
 * seed). Teacher logits are cached after the first epoch. Reports accuracy, precision, recall and F1 on the test
 * split for the teacher and both students, and how often each student predicts the teacher's class.
 *
 * @since 0.1.0
 */
public final class CustomModelExample {

    /** The width of a random token table (when not starting from the teacher's embeddings). */
    public static final int RANDOM_EMBEDDING_SIZE = 128;

    private CustomModelExample() {}

    /**
     * Runs the example.
     *
     * @param settings what to run
     * @param log where progress goes
     * @param progressBar whether the engine draws its progress bar
     * @return the measured results
     * @throws IOException when data or models cannot be read or written
     */
    public static ClassificationReport run(CustomModelSettings settings, PrintWriter log, boolean progressBar)
            throws IOException {
        RunClock.Running clock = RunClock.start();
        Path base = MultiTeacherExample.baseModel(settings.baseDir(), settings.workDir(), log);
        Path tokenizerJson = base.resolve(BertModels.TOKENIZER);
        SpamTask task = SpamTask.load();
        TeacherBudget budget = settings.teacherBudget();
        Path teacherDir = SpamTeachers.ensure(base, settings.workDir().resolve("spam-teachers"), budget,
                settings.teacherSeed(), task, log);
        List<BertBatch> test = SpamTask.batches(tokenizerJson, task.testSample(settings.testLimit()),
                budget.maxLength(), MultiTeacherExample.EVAL_BATCH, 0);
        long[] gold = Logits.gold(test);
        List<BertBatch> train = SpamTask.batches(tokenizerJson, task.trainSample(settings.studentTexts(),
                settings.seed()), budget.maxLength(), budget.batchSize(), settings.seed());
        List<ClassifierRow> rows = new ArrayList<>();
        try (NDManager teacherManager = NDManager.newBaseManager()) {
            teacherManager.setName("custom-example-teacher");
            BertModel teacher = BertModels.load(teacherDir, teacherManager).model();
            long start = System.nanoTime();
            float[][] teacherLogits = Logits.of(BertDistillModel.of(teacher), BertOutput::logits, test);
            double ms = (System.nanoTime() - start) / 1e6 / gold.length;
            rows.add(new ClassifierRow("BERT teacher seed " + settings.teacherSeed(),
                    teacher.config().numHiddenLayers(), count(teacher.namedParameters()),
                    SpamTeachers.fineTuningSeconds(teacherDir), ms, SpamTask.score(teacherLogits, gold),
                    Double.NaN));
            log.println(rows.get(0).markdownRow());
            log.flush();
            Path runRoot = settings.workDir().resolve("custom-model");
            rows.add(trainStudent(true, teacher, teacherLogits, settings, train, test, gold, runRoot.resolve("kd"), progressBar,
                    log));
            if (settings.labelsOnlyBaseline()) {
                rows.add(trainStudent(false, teacher, teacherLogits, settings, train, test, gold, runRoot.resolve("labels-only"),
                        progressBar, log));
            }
        }
        return new ClassificationReport("Custom convolutional student vs its BERT teacher on the spam task (test "
                + "split, " + gold.length + " emails)", settings.toString(), rows, clock.stop());
    }

    /**
     * Creates the student: the block, initialised from a seeded engine, its token table copied from the teacher's
     * word embeddings when asked (and frozen when asked).
     *
     * @param teacher the teacher (for the vocabulary and, optionally, the embeddings)
     * @param settings the settings
     * @param manager the manager that owns the student's parameters
     * @return the student
     */
    public static ConvTextClassifier newStudent(BertModel teacher, CustomModelSettings settings, NDManager manager) {
        int width = settings.embeddingsFromTeacher() ? teacher.config().hiddenSize() : RANDOM_EMBEDDING_SIZE;
        ConvTextConfig config = new ConvTextConfig(teacher.config().vocabSize(), width, settings.filters(),
                settings.kernel(), teacher.config().numLabels(), settings.dropout());
        Engine.getInstance().setRandomSeed((int) settings.seed());
        ConvTextClassifier block = new ConvTextClassifier(config).initialize(manager);
        Parameter table = block.getDirectParameters().get("embedding");
        if (settings.embeddingsFromTeacher()) {
            table.getArray().set(teacher.namedParameters().get("embeddings.word_embeddings.weight").getArray()
                    .toByteBuffer());
        }
        if (settings.freezeEmbeddings()) {
            table.freeze(true);
        }
        return block;
    }

    private static ClassifierRow trainStudent(boolean distil, BertModel teacher, float[][] teacherLogits,
            CustomModelSettings settings,
            List<BertBatch> train, List<BertBatch> test, long[] gold, Path runDir, boolean progressBar,
            PrintWriter log) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.setName("custom-student");
            ConvTextClassifier block = newStudent(teacher, settings, manager);
            ConvDistillModel model = new ConvDistillModel(block);
            AdaptedModel<BertBatch> student = AdaptedModel.of(model, new ConvAdaptor(block.config()));
            DurableFiles.deleteRecursively(runDir.resolve("train"));
            TrainingConfig tc = TrainingConfig.builder().optOutputDir(runDir.resolve("train").toString())
                    .optKeepLastCheckpoints(1).build();
            log.printf(Locale.ROOT, "training the convolutional student %s (%d batches x %d epochs)%n",
                    distil ? "by distillation" : "on the labels only", train.size(), settings.epochs());
            log.flush();
            long start = System.nanoTime();
            try (Distiller<BertBatch> d = distil ? distiller(teacher, student, block.config(), settings, tc)
                    : new BasicTrainer<>(tc, student)) {
                TrainResult r = d.train(TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(settings.learningRate())
                                        .optWeightDecay(0.01).optWarmupProportion(0.1).optSchedule("linear").build())
                                .optNumEpochs(settings.epochs()).optMaxGradNorm(1.0).optSeed(settings.seed())
                                .optProgressBar(progressBar).build(),
                        DataSource.shuffled(train, settings.seed()));
                log.printf(Locale.ROOT, "%d steps; last losses %s%n", r.globalSteps(), r.finalLosses());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long evalStart = System.nanoTime();
            float[][] logits = Logits.of(model, ConvOutput::logits, test);
            double ms = (System.nanoTime() - evalStart) / 1e6 / gold.length;
            model.save(runDir.resolve("student"));
            String name = !distil ? "conv student (labels only)"
                    : settings.hardLabelWeight() > 0 ? "conv student (KD from BERT + labels)"
                    : "conv student (KD from BERT)";
            ClassifierRow row = new ClassifierRow(name,
                    0, count(model.parameters()), seconds, ms, SpamTask.score(logits, gold),
                    Logits.agreement(logits, teacherLogits));
            log.println(row.markdownRow());
            log.println("saved the student to " + runDir.resolve("student"));
            log.flush();
            return row;
        }
    }

    private static GeneralDistiller<BertBatch> distiller(BertModel teacher, AdaptedModel<BertBatch> student,
            ConvTextConfig config, CustomModelSettings settings, TrainingConfig tc) {
        DistillationConfig.Builder dc = DistillationConfig.builder().optTemperature(settings.temperature())
                .optHardLabelWeight(settings.hardLabelWeight()).optCachingLogits(true);
        if (settings.sentenceWeight() > 0) {
            dc.addIntermediateMatch(IntermediateMatch.builder().setLayers(0, 0).setFeature("sentence")
                    .setLoss("embedding_mse").setWeight(settings.sentenceWeight())
                    .optProj(new Projection("linear", config.filters(), teacher.config().hiddenSize(), Map.of()))
                    .build());
        }
        return new GeneralDistiller<>(tc, dc.build(), Distillers.bert(teacher, BertAdaptor.Attention.PROBS, false),
                student);
    }

    private static long count(Map<String, Parameter> params) {
        long n = 0;
        for (Parameter p : params.values()) {
            n += p.getArray().getShape().size();
        }
        return n;
    }

}
