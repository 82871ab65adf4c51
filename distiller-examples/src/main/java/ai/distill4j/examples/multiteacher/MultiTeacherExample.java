package ai.distill4j.examples.multiteacher;

import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.Distillers;
import ai.distill4j.distill.MultiTeacherDistiller;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.examples.embedding.EmbeddingExample;
import ai.distill4j.examples.embedding.MiniLmTeacher;
import ai.distill4j.examples.embedding.RunClock;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Multi-teacher distillation on the spam task: several BERT teachers fine-tuned from all-MiniLM-L6-v2 with
 * different seeds ({@link SpamTeachers}) are distilled into one 2-layer student with {@link MultiTeacherDistiller},
 * whose KD target is the mean of the teachers' logits. Reports accuracy, precision, recall and F1 on the test split
 * for each teacher, for their ensemble (the mean of their logits, the very target the student learns), and for the
 * student, and how often each model predicts the ensemble's class.
 *
 * <p>The student starts from the base model's layers ({@link Students#fromTeacher}) with a fresh head; its word
 * embeddings stay frozen; it never sees a gold label (hard-label weight 0). Teacher logits are computed in the first
 * epoch and cached for the later ones ({@code is_caching_logits}). The engine's logs go to
 * {@code <work>/multi-teacher/train}, the student to {@code <work>/multi-teacher/student}.
 *
 * @since 0.1.0
 */
public final class MultiTeacherExample {

    /** Rows per evaluation batch. */
    public static final int EVAL_BATCH = 32;

    private MultiTeacherExample() {}

    /**
     * Runs the example.
     *
     * @param settings what to run
     * @param log where progress goes
     * @param progressBar whether the engine draws its progress bar
     * @return the measured results
     * @throws IOException when data or models cannot be read or written
     */
    public static ClassificationReport run(MultiTeacherSettings settings, PrintWriter log, boolean progressBar)
            throws IOException {
        RunClock.Running clock = RunClock.start();
        Path base = baseModel(settings.baseDir(), settings.workDir(), log);
        Path tokenizerJson = base.resolve(BertModels.TOKENIZER);
        SpamTask task = SpamTask.load();
        TeacherBudget budget = settings.teacherBudget();
        List<Path> teacherDirs = new ArrayList<>();
        for (long seed : settings.teacherSeeds()) {
            teacherDirs.add(SpamTeachers.ensure(base, settings.workDir().resolve("spam-teachers"), budget, seed, task,
                    log));
        }
        List<BertBatch> test = SpamTask.batches(tokenizerJson, task.testSample(settings.testLimit()),
                budget.maxLength(), EVAL_BATCH, 0);
        long[] gold = Logits.gold(test);
        List<ClassifierRow> rows = new ArrayList<>();
        try (NDManager models = NDManager.newBaseManager()) {
            models.setName("multi-teacher-example");
            List<BertModel> teachers = new ArrayList<>();
            List<float[][]> teacherLogits = new ArrayList<>();
            double trainSum = 0;
            double msSum = 0;
            long paramSum = 0;
            int layerSum = 0;
            long[] seeds = settings.teacherSeeds();
            List<Scored> scored = new ArrayList<>();
            for (Path dir : teacherDirs) {
                BertModel t = BertModels.load(dir, models).model();
                teachers.add(t);
                Scored s = score(t, test);
                scored.add(s);
                teacherLogits.add(s.logits);
            }
            float[][] ensembleLogits = Logits.average(teacherLogits);
            for (int i = 0; i < teacherDirs.size(); i++) {
                BertModel t = teachers.get(i);
                double trained = SpamTeachers.fineTuningSeconds(teacherDirs.get(i));
                ClassifierRow row = new ClassifierRow("teacher seed " + seeds[i], t.config().numHiddenLayers(),
                        EmbeddingExample.parameterCount(t), trained, scored.get(i).msPerExample,
                        SpamTask.score(teacherLogits.get(i), gold),
                        Logits.agreement(teacherLogits.get(i), ensembleLogits));
                rows.add(row);
                log.println(row.markdownRow());
                log.flush();
                trainSum += trained;
                msSum += row.msPerExample();
                paramSum += row.parameters();
                layerSum += row.layers();
            }
            rows.add(new ClassifierRow("ensemble (mean logits)", layerSum, paramSum, trainSum, msSum,
                    SpamTask.score(ensembleLogits, gold), Double.NaN));
            log.println(rows.get(rows.size() - 1).markdownRow());
            log.flush();

            LoadedBert loadedBase = BertModels.load(base, models, BertHead.SEQUENCE_CLASSIFICATION);
            BertModel student = Students.fromTeacher(loadedBase.model(), settings.studentLayers(), models);
            SpamTeachers.initialiseHead(student, settings.seed(), loadedBase.initialisedHeadTensors());
            student.namedParameters().get("embeddings.word_embeddings.weight").freeze(true);
            List<BertBatch> train = SpamTask.batches(tokenizerJson, task.trainSample(settings.studentTexts(),
                    settings.seed()), budget.maxLength(), budget.batchSize(), settings.seed());
            Path runDir = settings.workDir().resolve("multi-teacher");
            DurableFiles.deleteRecursively(runDir.resolve("train"));
            TrainingConfig tc = TrainingConfig.builder().optOutputDir(runDir.resolve("train").toString())
                    .optKeepLastCheckpoints(1).build();
            DistillationConfig dc = DistillationConfig.builder().optTemperature(settings.temperature())
                    .optCachingLogits(true).build();
            log.printf(Locale.ROOT, "distilling %d teachers into a %d-layer student (%d batches x %d epochs)%n",
                    teachers.size(), settings.studentLayers().length, train.size(), settings.studentEpochs());
            log.flush();
            long start = System.nanoTime();
            try (MultiTeacherDistiller<BertBatch> d = Distillers.multiTeacher(teachers, student, tc, dc)) {
                TrainResult r = d.train(TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(
                                        settings.studentLearningRate()).optWeightDecay(0.01).optWarmupProportion(0.1)
                                        .optSchedule("linear").build())
                                .optNumEpochs(settings.studentEpochs()).optMaxGradNorm(1.0).optSeed(settings.seed())
                                .optProgressBar(progressBar).build(),
                        DataSource.shuffled(train, settings.seed()));
                log.printf(Locale.ROOT, "%d steps; last losses %s%n", r.globalSteps(), r.finalLosses());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Scored s = score(student, test);
            ClassifierRow row = new ClassifierRow("student (multi-teacher KD)", student.config().numHiddenLayers(),
                    EmbeddingExample.parameterCount(student), seconds, s.msPerExample,
                    SpamTask.score(s.logits, gold), Logits.agreement(s.logits, ensembleLogits));
            rows.add(row);
            log.println(row.markdownRow());
            BertModels.save(student, runDir.resolve("student"), tokenizerJson);
            log.println("saved the student to " + runDir.resolve("student"));
            log.flush();
        }
        return new ClassificationReport("Multi-teacher distillation on the spam task (test split, " + gold.length
                + " emails)", settings.toString(), rows, clock.stop());
    }

    /**
     * Returns the base model's folder: the given one, or the bundled all-MiniLM-L6-v2 imported into
     * {@code <work>/teacher-minilm}.
     *
     * @param baseDir a folder, or {@code null}
     * @param workDir the work folder
     * @param log where progress goes
     * @return the folder
     * @throws IOException when the import fails
     */
    public static Path baseModel(Path baseDir, Path workDir, PrintWriter log) throws IOException {
        return baseDir != null ? baseDir : MiniLmTeacher.ensure(workDir.resolve("teacher-minilm"), log);
    }

    private static Scored score(BertModel model, List<BertBatch> test) {
        long start = System.nanoTime();
        float[][] logits = Logits.of(BertDistillModel.of(model), BertOutput::logits, test);
        return new Scored(logits, (System.nanoTime() - start) / 1e6 / logits.length);
    }

    private record Scored(float[][] logits, double msPerExample) {}

}
