package ai.distill4j.examples.embedding;

import ai.distill4j.distill.AdaptedModel;
import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.GeneralDistiller;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.eval.EmbeddingAgreementEvaluator;
import ai.distill4j.distill.eval.RetrievalEvaluator;
import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.examples.data.EuroparlCorpus;
import ai.distill4j.examples.data.LabeledEmail;
import ai.distill4j.examples.data.SpamDataset;
import ai.distill4j.examples.data.UnlabeledText;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.sentence.SentenceBertConfig;
import ai.distill4j.model.sentence.SentenceModel;
import ai.distill4j.model.sentence.SentenceTransformers;
import ai.distill4j.model.text.BertTokenizer;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Task-agnostic compression of a sentence-embedding model: all-MiniLM-L6-v2 (or any BERT folder) distilled into a
 * 3-layer student, or a narrower one, on unlabeled text, then measured against the teacher.
 *
 * <ol>
 *   <li><b>Data.</b> Unlabeled texts: half English Europarl sentences, half texts of the spam task's training split
 *       (subject and body), cut at {@code maxLength} tokens and batched by length ({@link TextBatches}). Held out:
 *       two thirds Europarl sentences that are not in the training texts, one third subjects of the dev split.
 *   <li><b>Student.</b> {@link EmbeddingSettings.StudentKind#LAYERS}: the teacher's layers 1, 3 and 5 copied
 *       ({@link Students#fromTeacher}); {@link EmbeddingSettings.StudentKind#NARROW}: the same layers truncated to
 *       a smaller width ({@link TruncatedStudent}). By default the word embeddings stay frozen.
 *   <li><b>Training.</b> One {@link GeneralDistiller} per {@link EmbeddingObjective}, each from the same initial
 *       student on the same batches (one epoch, AdamW, linear schedule with 10% warm-up).
 *   <li><b>Evaluation.</b> Mean pooling with normalisation, as the teacher: {@link EmbeddingAgreementEvaluator} on
 *       the held-out texts (teacher-student cosine, Spearman of the pairwise similarities, nearest-neighbour
 *       agreement); {@link RetrievalEvaluator} on the test split (subject as query, its body among all bodies:
 *       recall@1, recall@10, MRR) for the teacher and each student; encoding speed.
 *   <li><b>Saving.</b> Each trained student is written as a Sentence-Transformers folder, loaded back with
 *       {@link SentenceTransformers#load} and checked to give the same vectors.
 * </ol>
 *
 * <p>The teacher is cached in {@code <work>/teacher-minilm}; run {@code <work>/embedding/<student>-<objective>/}
 * holds the engine's logs ({@code train/}) and the saved student ({@code student-st/}).
 *
 * @since 0.1.0
 */
public final class EmbeddingExample {

    /** The pooling of all-MiniLM-L6-v2, used for every evaluation and for the saved students. */
    public static final Pooling POOLING = Pooling.mean().normalized();

    /** Texts per encoding batch in evaluation. */
    public static final int ENCODE_BATCH = 32;

    private EmbeddingExample() {}

    /**
     * Runs the example.
     *
     * @param settings what to run
     * @param log where progress and results go
     * @param progressBar whether the engine draws its progress bar
     * @return the measured results
     * @throws IOException when data, teacher or output folders cannot be read or written
     */
    public static EmbeddingReport run(EmbeddingSettings settings, PrintWriter log, boolean progressBar)
            throws IOException {
        RunClock.Running clock = RunClock.start();
        Path teacherDir = settings.teacherDir() != null ? settings.teacherDir()
                : MiniLmTeacher.ensure(settings.workDir().resolve("teacher-minilm"), log);
        Path tokenizerJson = teacherDir.resolve(BertModels.TOKENIZER);
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IOException(tokenizerJson + ": the teacher folder has no tokenizer.json");
        }
        Data data = Data.read(settings);
        log.printf(Locale.ROOT, "data: %d training texts (%d email, %d Europarl), %d held-out texts, %d retrieval "
                        + "queries%n", data.train.size(), data.emailTexts, data.train.size() - data.emailTexts,
                data.heldOut.size(), data.retrieval.size());
        List<BertBatch> batches = TextBatches.unlabeled(tokenizerJson, data.train, settings.maxLength(),
                settings.batchSize(), settings.seed());

        List<EmbeddingScores> rows = new ArrayList<>();
        List<Path> saved = new ArrayList<>();
        List<Double> reload = new ArrayList<>();
        try (NDManager models = NDManager.newBaseManager();
                BertTokenizer evalTokenizer = BertTokenizer.builder(tokenizerJson).maxLength(settings.evalMaxLength())
                        .truncation(true).padding(BertTokenizer.Padding.LONGEST).build()) {
            models.setName("embedding-example");
            BertModel teacher = BertModels.load(teacherDir, models).model();
            SentenceEncoder teacherEncoder = encoder(teacher, evalTokenizer);
            EmbeddingAgreementEvaluator agreement = EmbeddingAgreementEvaluator.builder()
                    .texts(data.heldOut).teacher(teacherEncoder).build();
            RetrievalEvaluator retrieval = RetrievalEvaluator.builder()
                    .queries(data.retrieval.queries()).documents(data.retrieval.documents())
                    .relevantDocument(data.retrieval.relevantDocuments()).build();
            rows.add(score("teacher", "-", teacher, Double.NaN, Map.of(), retrieval, teacherEncoder, data.heldOut));
            log.println(rows.get(0).markdownRow());
            log.flush();

            String kind = settings.student().name().toLowerCase(Locale.ROOT);
            for (int o = 0; o < settings.objectives().size(); o++) {
                EmbeddingObjective objective = settings.objectives().get(o);
                try (NDManager studentManager = NDManager.newBaseManager()) {
                    studentManager.setName("student");
                    BertModel student = newStudent(teacher, settings, studentManager);
                    SentenceEncoder studentEncoder = encoder(student, evalTokenizer);
                    if (o == 0) {
                        rows.add(score("student (" + kind + ", untrained)", "-", student, Double.NaN,
                                agreement.evaluate(studentEncoder), retrieval, studentEncoder, data.heldOut));
                        log.println(rows.get(rows.size() - 1).markdownRow());
                        log.flush();
                    }
                    Path runDir = settings.workDir().resolve("embedding").resolve(kind + "-" + objective.label());
                    log.printf(Locale.ROOT, "training %s student with %s (%d batches) -> %s%n", kind,
                            objective.label(), batches.size(), runDir);
                    log.flush();
                    double seconds = train(teacher, student, objective, settings, batches, runDir.resolve("train"),
                            progressBar, log);
                    EmbeddingScores row = score("student (" + kind + ")", objective.label(), student, seconds,
                            agreement.evaluate(studentEncoder), retrieval, studentEncoder, data.heldOut);
                    rows.add(row);
                    log.println(row.markdownRow());
                    Path folder = runDir.resolve("student-st");
                    SentenceTransformers.save(student, POOLING, new SentenceBertConfig(settings.evalMaxLength(), false),
                            tokenizerJson, folder);
                    double diff = reloadDifference(folder, studentEncoder, data.heldOut);
                    saved.add(folder);
                    reload.add(diff);
                    log.printf(Locale.ROOT, "saved %s; reloaded vectors differ by at most %.2e%n", folder, diff);
                    log.flush();
                }
            }
        }
        return new EmbeddingReport(settings, rows, saved, reload, batches.size(), data.heldOut.size(),
                data.retrieval.size(), clock.stop());
    }

    /**
     * Builds the student of the settings from the teacher.
     *
     * @param teacher the teacher
     * @param settings the settings (student kind, layers, width, frozen word embeddings)
     * @param manager the manager that owns the student
     * @return the student, without a head
     */
    public static BertModel newStudent(BertModel teacher, EmbeddingSettings settings, NDManager manager) {
        BertModel student = settings.student() == EmbeddingSettings.StudentKind.NARROW
                ? TruncatedStudent.fromTeacher(teacher, settings.narrowHidden(), settings.layers(), manager)
                : Students.fromTeacher(teacher, settings.layers(), manager);
        if (settings.freezeWordEmbeddings()) {
            student.namedParameters().get("embeddings.word_embeddings.weight").freeze(true);
        }
        return student;
    }

    /**
     * The hidden-state indices of the teacher that the student's line up with: the embedding output with the
     * embedding output, student layer {@code i} with teacher layer {@code layers[i]}.
     *
     * @param layers the 0-based teacher layers of the student
     * @return teacher {@code hidden} indices, {@code [0, layers[0] + 1, ...]}
     */
    public static List<Integer> alignedTeacherHidden(int[] layers) {
        List<Integer> out = new ArrayList<>();
        out.add(0);
        for (int l : layers) {
            out.add(l + 1);
        }
        return out;
    }

    private static double train(BertModel teacher, BertModel student, EmbeddingObjective objective,
            EmbeddingSettings settings, List<BertBatch> batches, Path runDir, boolean progressBar, PrintWriter log)
            throws IOException {
        DurableFiles.deleteRecursively(runDir);
        List<Integer> studentHidden = new ArrayList<>();
        for (int i = 0; i <= student.config().numHiddenLayers(); i++) {
            studentHidden.add(i);
        }
        DistillationConfig dc = DistillationConfig.builder()
                .optIntermediateMatches(objective.matches(alignedTeacherHidden(settings.layers()), studentHidden,
                        student.config().hiddenSize(), teacher.config().hiddenSize()))
                .build();
        TrainingConfig tc = TrainingConfig.builder().optOutputDir(runDir.toString()).optKeepLastCheckpoints(1).build();
        AdaptedModel<BertBatch> t = AdaptedModel.of(BertDistillModel.of(teacher),
                new BertAdaptor(teacher.config(), BertAdaptor.Attention.PROBS, false, BertAdaptor.SentencePooling.MEAN));
        AdaptedModel<BertBatch> s = AdaptedModel.of(BertDistillModel.of(student),
                new BertAdaptor(student.config(), BertAdaptor.Attention.PROBS, false, BertAdaptor.SentencePooling.MEAN));
        long start = System.nanoTime();
        try (GeneralDistiller<BertBatch> d = new GeneralDistiller<>(tc, dc, t, s)) {
            TrainResult r = d.train(TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(settings.learningRate())
                                    .optWeightDecay(0.01).optWarmupProportion(0.1).optSchedule("linear").build())
                            .optNumEpochs(1).optMaxGradNorm(1.0).optSeed(settings.seed()).optProgressBar(progressBar)
                            .build(),
                    DataSource.of(batches));
            log.printf(Locale.ROOT, "%d steps; last losses %s%n", r.globalSteps(), r.finalLosses());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static SentenceEncoder encoder(BertModel model, BertTokenizer tokenizer) {
        return SentenceEncoder.builder(model).pooling(POOLING).tokenizer(tokenizer).batchSize(ENCODE_BATCH).build();
    }

    private static EmbeddingScores score(String name, String objective, BertModel model, double trainSeconds,
            Map<String, Double> agreement, RetrievalEvaluator retrieval, SentenceEncoder encoder, List<String> texts) {
        Map<String, Double> r = retrieval.evaluate(encoder);
        return new EmbeddingScores(name, objective, model.config().numHiddenLayers(), model.config().hiddenSize(),
                parameterCount(model), trainSeconds, agreement, r, msPerText(encoder, texts));
    }

    /**
     * Times an encoder: one warm-up batch, then every text once.
     *
     * @param encoder the encoder
     * @param texts the texts
     * @return wall-clock milliseconds per text
     */
    public static double msPerText(SentenceEncoder encoder, List<String> texts) {
        encoder.encode(texts.subList(0, Math.min(texts.size(), ENCODE_BATCH)));
        long start = System.nanoTime();
        encoder.encode(texts);
        return (System.nanoTime() - start) / 1e6 / texts.size();
    }

    /**
     * Counts a model's parameters.
     *
     * @param model the model
     * @return the number of scalars
     */
    public static long parameterCount(BertModel model) {
        long n = 0;
        for (Parameter p : model.namedParameters().values()) {
            n += p.getArray().getShape().size();
        }
        return n;
    }

    /**
     * Loads a saved Sentence-Transformers folder and compares its vectors with an encoder's.
     *
     * @param folder the saved folder
     * @param original the encoder of the model in memory
     * @param texts the texts to embed (at most 32 are used)
     * @return the largest absolute difference of any vector component
     * @throws IOException when the folder cannot be loaded
     */
    public static double reloadDifference(Path folder, SentenceEncoder original, List<String> texts)
            throws IOException {
        List<String> sample = texts.subList(0, Math.min(texts.size(), ENCODE_BATCH));
        float[][] expected = original.encode(sample);
        try (NDManager m = NDManager.newBaseManager(); SentenceModel loaded = SentenceTransformers.load(folder, m)) {
            float[][] actual = loaded.encoder(ENCODE_BATCH).encode(sample);
            double max = 0;
            for (int i = 0; i < expected.length; i++) {
                if (actual[i].length != expected[i].length) {
                    return Double.POSITIVE_INFINITY;
                }
                for (int j = 0; j < expected[i].length; j++) {
                    max = Math.max(max, Math.abs(actual[i][j] - expected[i][j]));
                }
            }
            return max;
        }
    }


    /** The texts of a run. */
    private record Data(List<String> train, int emailTexts, List<String> heldOut, SubjectBodyRetrieval retrieval) {

        static Data read(EmbeddingSettings s) throws IOException {
            Path spam = SpamDataset.locate();
            List<LabeledEmail> trainEmails = SpamDataset.read(spam, SpamDataset.Split.TRAIN).emails();
            List<LabeledEmail> devEmails = SpamDataset.read(spam, SpamDataset.Split.DEV).emails();
            List<LabeledEmail> testEmails = SpamDataset.read(spam, SpamDataset.Split.TEST).emails();
            int europarlTrain = s.trainTexts() / 2;
            int heldEuroparl = s.heldOut() * 2 / 3;
            int heldSubjects = s.heldOut() - heldEuroparl;
            List<String> europarl = EuroparlCorpus.builder().optSentences(true).optEnglishOnly(true).optMinLength(20)
                    .optLimit(europarlTrain + 2 * heldEuroparl).build().read();
            List<String> emails = UnlabeledText.builder().addEmails(trainEmails).optSeed(s.seed()).build().read();
            int emailCount = Math.min(emails.size(), s.trainTexts() - europarlTrain);
            List<String> train = new ArrayList<>(emails.subList(0, emailCount));
            train.addAll(europarl.subList(0, Math.min(europarlTrain, europarl.size())));
            Set<String> seen = new HashSet<>(train);
            Set<String> held = new LinkedHashSet<>();
            for (int i = europarlTrain; i < europarl.size() && held.size() < heldEuroparl; i++) {
                if (!seen.contains(europarl.get(i))) {
                    held.add(europarl.get(i));
                }
            }
            int target = held.size() + heldSubjects;
            for (LabeledEmail e : devEmails) {
                if (held.size() >= target) {
                    break;
                }
                String subject = e.subject().strip();
                if (subject.length() >= 8 && !seen.contains(subject)) {
                    held.add(subject);
                }
            }
            return new Data(train, emailCount, List.copyOf(held),
                    SubjectBodyRetrieval.of(testEmails, s.retrievalQueries()));
        }
    }
}
