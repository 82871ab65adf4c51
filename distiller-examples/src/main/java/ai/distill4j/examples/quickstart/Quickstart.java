package ai.distill4j.examples.quickstart;

import ai.distill4j.distill.BasicTrainer;
import ai.distill4j.distill.Distiller;
import ai.distill4j.distill.GeneralDistiller;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.callback.Evaluation;
import ai.distill4j.distill.callback.EvaluationRecord;
import ai.distill4j.distill.checkpoint.CheckpointStore;
import ai.distill4j.distill.checkpoint.MetricMode;
import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.distill.log.EvalLog;
import ai.distill4j.distill.log.LossCurvePlot;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.examples.data.SpamDataset;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The quickstart, start to finish:
 *
 * <ol>
 *   <li>imports the bundled all-MiniLM-L6-v2 into the {@link ModelCache} (once) and fine-tunes it on the spam training
 *       subset with {@link BasicTrainer} as a 2-way classifier (ham, spam); the fine-tuned teacher is cached under its
 *       {@link QuickstartSettings#teacherKey() key}, so later runs with the same settings reuse it;
 *   <li>distills it with {@link GeneralDistiller} into a student made of the teacher's embeddings, layers
 *       {@link QuickstartSettings#studentLayers()} and head ({@link QuickstartRecipe} has the losses);
 *   <li>trains the same architecture without a teacher (hard labels only, the same budget), initialised from the
 *       imported teacher before fine-tuning, as the baseline;
 *   <li>evaluates each run on the dev subset after every epoch ({@link ClassifierEvaluator}) and keeps the best
 *       checkpoint by accuracy;
 *   <li>scores the three models on the test subset, times them at batch sizes 1 and 32, exports both students as
 *       HuggingFace folders, reloads the distilled one to check it predicts the same, and writes the report
 *       ({@link QuickstartLayout} lists the files).
 * </ol>
 *
 * @since 0.1.0
 */
public final class Quickstart {

    /** The label names written into the models' {@code config.json}. */
    public static final Map<Integer, String> LABELS = Map.of(0, "ham", 1, "spam");

    private static final Set<String> OWN_OUTPUTS = Set.of(QuickstartLayout.TEACHER, QuickstartLayout.STUDENT,
            QuickstartLayout.BASELINE, "data", QuickstartLayout.RUNS, QuickstartLayout.RUN_FILE,
            QuickstartLayout.REPORT_MD, QuickstartLayout.REPORT_JSON, QuickstartLayout.plot("teacher"),
            QuickstartLayout.plot("distilled"), QuickstartLayout.plot("baseline"), QuickstartLayout.MARKER);

    private final QuickstartSettings settings;
    private final QuickstartRecipe recipe;
    private final ModelCache cache;
    private final Path dataDir;
    private final PrintWriter log;
    private final boolean progressBar;
    private final String command;

    private Quickstart(Builder b) {
        settings = b.settings;
        recipe = new QuickstartRecipe(settings);
        cache = b.cache;
        dataDir = b.dataDir;
        log = b.log;
        progressBar = b.progressBar;
        command = b.command;
    }

    /**
     * Starts a builder: default settings, the default cache, {@code data/spam} of the enclosing checkout.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public QuickstartSettings settings() {
        return settings;
    }

    /**
     * Runs the quickstart into an output folder. The folder must be empty, missing, or hold an earlier quickstart
     * run (recognised by its {@value QuickstartLayout#MARKER} file), whose outputs are replaced.
     *
     * @param outputDir the output folder
     * @return the report (also written as {@code report.md} and {@code report.json})
     * @throws IOException when data, models, logs or checkpoints cannot be read or written
     * @throws IllegalArgumentException when the output folder holds something other than a quickstart run
     */
    public QuickstartReport run(Path outputDir) throws IOException {
        Path out = outputDir.toAbsolutePath().normalize();
        long start = System.nanoTime();
        double cpuStart = cpuSeconds();
        double loadStart = loadAverage();
        prepareOutput(out);
        Map<String, Double> stages = new LinkedHashMap<>();

        // --- data and the imported teacher
        long t = System.nanoTime();
        Path dir = dataDir != null ? dataDir : SpamDataset.locate();
        LabeledTexts train = LabeledTexts.of(SpamDataset.read(dir, SpamDataset.Split.TRAIN))
                .sample(settings.trainExamples(), settings.seed());
        LabeledTexts dev = LabeledTexts.of(SpamDataset.read(dir, SpamDataset.Split.DEV))
                .sample(settings.devExamples(), settings.seed());
        LabeledTexts test = LabeledTexts.of(SpamDataset.read(dir, SpamDataset.Split.TEST))
                .sample(settings.testExamples(), settings.seed());
        train.writeTsv(out.resolve(QuickstartLayout.TRAIN_TSV));
        dev.writeTsv(out.resolve(QuickstartLayout.DEV_TSV));
        test.writeTsv(out.resolve(QuickstartLayout.TEST_TSV));
        log.printf("quickstart: %s preset; %d training emails (%d spam), %d dev, %d test; %d tokens, batches of %d%n",
                settings.preset().label(), train.size(), train.count(1), dev.size(), test.size(),
                settings.maxLength(), settings.batchSize());
        Path base = cache.ensureBaseTeacher(log);
        Path tokenizer = base.resolve(BertModels.TOKENIZER);
        Examples trainExamples = train.tokenize(tokenizer, settings.maxLength());
        List<BertBatch> devBatches = dev.tokenize(tokenizer, settings.maxLength()).batches(settings.batchSize());
        List<BertBatch> testBatches = test.tokenize(tokenizer, settings.maxLength()).batches(settings.batchSize());
        stages.put("data and teacher import", seconds(t));

        // --- 1. the fine-tuned teacher (cached)
        t = System.nanoTime();
        String key = settings.teacherKey();
        boolean teacherFromCache = cache.hasTunedTeacher(key);
        if (teacherFromCache) {
            log.println("quickstart: [1/4] fine-tuned teacher from the cache " + cache.tunedTeacher(key));
        } else {
            log.println("quickstart: [1/4] fine-tuning the teacher (6 layers) on " + train.size() + " emails, "
                    + settings.teacherEpochs() + " epoch(s); it will be cached in " + cache.tunedTeacher(key));
            fineTuneTeacher(base, trainExamples, devBatches, key);
        }
        Path entry = cache.tunedTeacher(key);
        Path teacherDir = out.resolve(QuickstartLayout.TEACHER);
        ModelCache.copyTree(entry.resolve(ModelCache.TUNED_MODEL), teacherDir);
        ModelCache.copyTree(entry.resolve(ModelCache.TUNED_RUN), out.resolve(QuickstartLayout.TEACHER_RUN));
        JsonObject teacherSummary = JsonParser.parseString(
                Files.readString(entry.resolve(ModelCache.TUNED_SUMMARY), StandardCharsets.UTF_8)).getAsJsonObject();
        stages.put(teacherFromCache ? "teacher (from the cache)" : "teacher fine-tuning", seconds(t));

        QuickstartReport report;
        try (NDManager models = NDManager.newBaseManager()) {
            models.setName("quickstart-models");
            BertModel teacher = BertModels.load(teacherDir, models).model();

            // --- 2. distillation
            t = System.nanoTime();
            log.println("quickstart: [2/4] distilling into a " + settings.studentLayers().length
                    + "-layer student (teacher layers " + java.util.Arrays.toString(settings.studentLayers())
                    + "), " + settings.studentEpochs() + " epoch(s)");
            BertModel student = Students.fromTeacher(teacher, settings.studentLayers(), models);
            Path distillRun = out.resolve(QuickstartLayout.DISTILL_RUN);
            TrainResult distilled;
            try (GeneralDistiller<BertBatch> d = new GeneralDistiller<>(recipe.training(distillRun),
                    recipe.distillationConfig(), QuickstartRecipe.adapted(teacher), QuickstartRecipe.adapted(student))) {
                distilled = d.train(options(recipe.studentOptimizer(), settings.studentEpochs(), student, devBatches),
                        recipe.trainData(trainExamples, settings.cacheTeacherOutputs()));
            }
            keepBest(student, distilled, distillRun);
            BertModels.save(student, out.resolve(QuickstartLayout.STUDENT), tokenizer);
            stages.put("distillation", seconds(t));

            // --- 3. the baseline: same student, no teacher
            t = System.nanoTime();
            log.println("quickstart: [3/4] training the baseline student without a teacher, "
                    + settings.studentEpochs() + " epoch(s)");
            BertModel baseline;
            try (NDManager importedManager = models.newSubManager()) {
                BertModel imported = withHead(base, importedManager, settings.seed());
                baseline = Students.fromTeacher(imported, settings.studentLayers(), models);
            }
            Path baselineRun = out.resolve(QuickstartLayout.BASELINE_RUN);
            TrainResult baselineResult;
            try (BasicTrainer<BertBatch> trainer =
                    new BasicTrainer<>(recipe.training(baselineRun), QuickstartRecipe.adapted(baseline))) {
                baselineResult = trainer.train(
                        options(recipe.studentOptimizer(), settings.studentEpochs(), baseline, devBatches),
                        recipe.trainData(trainExamples, false));
            }
            keepBest(baseline, baselineResult, baselineRun);
            BertModels.save(baseline, out.resolve(QuickstartLayout.BASELINE), tokenizer);
            stages.put("baseline", seconds(t));

            // --- 4. test, speed, export check
            t = System.nanoTime();
            log.println("quickstart: [4/4] scoring the three models on " + test.size() + " test emails and timing them");
            List<String> timingTexts = test.texts();
            Predictions studentPredictions = ClassifierEvaluator.predict(student, testBatches);
            ModelResult teacherRow = result("teacher", teacher, ClassifierEvaluator.predict(teacher, testBatches),
                    tokenizer, timingTexts, history(teacherSummary), teacherSummary.get("best_step").getAsInt(),
                    teacherSummary.get("train_seconds").getAsDouble(), teacherFromCache);
            ModelResult distilledRow = result("distilled student", student, studentPredictions, tokenizer,
                    timingTexts, distilled.history(), bestStep(distilled), seconds(distilled), false);
            ModelResult baselineRow = result("baseline student", baseline,
                    ClassifierEvaluator.predict(baseline, testBatches), tokenizer, timingTexts,
                    baselineResult.history(), bestStep(baselineResult), seconds(baselineResult), false);
            int disagreements;
            try (NDManager reloadManager = models.newSubManager()) {
                LoadedBert reloaded = BertModels.load(out.resolve(QuickstartLayout.STUDENT), reloadManager);
                disagreements = ClassifierEvaluator.predict(reloaded.model(), testBatches)
                        .disagreements(studentPredictions);
            }
            stages.put("test and timing", seconds(t));
            report = new QuickstartReport(settings, teacherRow, distilledRow, baselineRow, disagreements, stages,
                    seconds(start), cpuSeconds() - cpuStart, threads(), new double[] {loadStart, loadAverage()});
        }
        writeOutputs(out, report);
        return report;
    }

    // ------------------------------------------------------------------------------------------ stages

    private void fineTuneTeacher(Path base, Examples train, List<BertBatch> dev, String key) throws IOException {
        Path tmp = cache.newTemporary(key);
        try {
            long t = System.nanoTime();
            Path run = tmp.resolve(ModelCache.TUNED_RUN);
            TrainResult result;
            try (NDManager manager = NDManager.newBaseManager()) {
                manager.setName("teacher-fine-tuning");
                BertModel model = withHead(base, manager, settings.seed());
                try (BasicTrainer<BertBatch> trainer =
                        new BasicTrainer<>(recipe.training(run), QuickstartRecipe.adapted(model))) {
                    result = trainer.train(options(recipe.teacherOptimizer(), settings.teacherEpochs(), model, dev),
                            recipe.trainData(train, false));
                }
                keepBest(model, result, run);
                BertModels.save(model, tmp.resolve(ModelCache.TUNED_MODEL), base.resolve(BertModels.TOKENIZER));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("key", key);
            summary.put("settings", settings.toMap());
            summary.put("best_step", bestStep(result));
            summary.put("train_seconds", seconds(t));
            List<Object> h = new ArrayList<>();
            for (EvaluationRecord r : result.history()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", r.step());
                row.put("epoch", r.epoch());
                row.put("metrics", new LinkedHashMap<>(r.metrics()));
                h.add(row);
            }
            summary.put("history", h);
            Files.writeString(tmp.resolve(ModelCache.TUNED_SUMMARY), pretty(summary), StandardCharsets.UTF_8);
            ModelCache.publish(tmp, cache.tunedTeacher(key));
        } finally {
            DurableFiles.deleteRecursively(tmp);
        }
    }

    private TrainOptions<BertBatch> options(OptimizerConfig optimizer, int epochs, BertModel model,
            List<BertBatch> dev) {
        return TrainOptions.<BertBatch>builder(optimizer)
                .optNumEpochs(epochs)
                .optMaxGradNorm(settings.maxGradNorm())
                .optSeed(settings.seed())
                .optProgressBar(progressBar)
                .optEvaluation(Evaluation.of(new ClassifierEvaluator(model, dev), "accuracy", MetricMode.MAX))
                .build();
    }

    /** Loads the best checkpoint's weights into the model, then deletes the run's checkpoints (the model is saved). */
    private static void keepBest(BertModel model, TrainResult result, Path run) throws IOException {
        Path best = result.bestCheckpoint().orElseThrow(() -> new IllegalStateException(
                "the run in " + run + " recorded no best checkpoint"));
        BertDistillModel.of(model).restore(best.resolve(Distiller.STUDENT_DIR));
        DurableFiles.deleteRecursively(run.resolve(CheckpointStore.DIRECTORY));
    }

    /**
     * Loads the imported encoder with a sequence-classification head for ham/spam. The head (pooler and
     * classifier, absent from the import) is drawn N(0, 0.02²) from the engine seeded with {@code seed}.
     */
    static BertModel withHead(Path base, NDManager manager, long seed) throws IOException {
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager loading = manager.newSubManager()) {
            BertModel loaded = BertModels.load(base, loading, BertHead.SEQUENCE_CLASSIFICATION).model();
            BertConfig config = loaded.config().toBuilder().id2label(LABELS).build();
            BertModel model = new BertModel(config, BertHead.SEQUENCE_CLASSIFICATION);
            model.setInitializer(Initializer.ZEROS, p -> true);
            model.initialize(manager, DataType.FLOAT32);
            Map<String, Parameter> from = loaded.namedParameters();
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                e.getValue().getArray().set(from.get(e.getKey()).getArray().toByteBuffer());
            }
            return model;
        }
    }

    private ModelResult result(String name, BertModel model, Predictions test, Path tokenizer, List<String> texts,
            List<EvaluationRecord> history, int bestStep, double trainSeconds, boolean fromCache) throws IOException {
        int n1 = Math.min(settings.timingExamples(), texts.size());
        int n32 = Math.min(2 * settings.timingExamples(), texts.size());
        int bs = Math.min(32, n32);
        InferenceTiming b1 = InferenceTiming.measure(model, tokenizer, settings.maxLength(), texts.subList(0, n1), 1);
        InferenceTiming b32 = InferenceTiming.measure(model, tokenizer, settings.maxLength(), texts.subList(0, n32), bs);
        long params = 0;
        for (Parameter p : model.namedParameters().values()) {
            params += p.getShape().size();
        }
        return new ModelResult(name, model.config().numHiddenLayers(), params, test.metrics(), test.meanLoss(), b1,
                b32, history, bestStep, trainSeconds, fromCache);
    }

    // ------------------------------------------------------------------------------------------ outputs

    private void prepareOutput(Path out) throws IOException {
        if (Files.isDirectory(out)) {
            boolean ours = Files.exists(out.resolve(QuickstartLayout.MARKER));
            try (var entries = Files.list(out)) {
                List<Path> all = entries.toList();
                if (!all.isEmpty() && !ours) {
                    throw new IllegalArgumentException("output folder " + out + " is not empty and holds no earlier "
                            + "quickstart run; choose an empty or new folder with --output");
                }
                for (Path p : all) {
                    if (OWN_OUTPUTS.contains(p.getFileName().toString())) {
                        DurableFiles.deleteRecursively(p);
                    }
                }
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve(QuickstartLayout.MARKER),
                "This folder holds the outputs of ./distill4j quickstart; re-running it replaces them.\n",
                StandardCharsets.UTF_8);
    }

    private void writeOutputs(Path out, QuickstartReport report) throws IOException {
        Files.writeString(out.resolve(QuickstartLayout.REPORT_MD), report.markdown(command), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(QuickstartLayout.REPORT_JSON), report.toJson(command), StandardCharsets.UTF_8);
        QuickstartRunFile.write(QuickstartRunFile.json(recipe, QuickstartRunFile.DEFAULT_PREFIX),
                out.resolve(QuickstartLayout.RUN_FILE));
        plot(out, QuickstartLayout.TEACHER_RUN, "teacher", "Teacher fine-tuning (all-MiniLM-L6-v2, 6 layers)", false);
        plot(out, QuickstartLayout.DISTILL_RUN, "distilled", "Distillation into the "
                + settings.studentLayers().length + "-layer student (GeneralDistiller)", true);
        plot(out, QuickstartLayout.BASELINE_RUN, "baseline", "Baseline student, no teacher (BasicTrainer)", false);
    }

    private void plot(Path out, String run, String name, String title, boolean logScale) throws IOException {
        Path metrics = out.resolve(run).resolve(MetricsLog.FILE_NAME);
        if (Files.isRegularFile(metrics)) {
            LossCurvePlot.builder().optTitle(title).optLogScale(logScale).build()
                    .write(metrics, out.resolve(run).resolve(EvalLog.FILE_NAME),
                            out.resolve(QuickstartLayout.plot(name)));
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static List<EvaluationRecord> history(JsonObject summary) {
        List<EvaluationRecord> out = new ArrayList<>();
        JsonArray rows = summary.getAsJsonArray("history");
        for (JsonElement e : rows) {
            JsonObject row = e.getAsJsonObject();
            Map<String, Double> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> x : row.getAsJsonObject("metrics").entrySet()) {
                m.put(x.getKey(), x.getValue().getAsDouble());
            }
            out.add(new EvaluationRecord(row.get("step").getAsInt(), row.get("epoch").getAsInt(), m));
        }
        return out;
    }

    private static int bestStep(TrainResult r) {
        double best = r.bestMetric();
        for (EvaluationRecord e : r.history()) {
            if (Double.compare(e.metrics().get("accuracy"), best) == 0) {
                return e.step(); // the first evaluation reaching the best value is the kept checkpoint
            }
        }
        return -1;
    }

    private static double seconds(TrainResult r) {
        return r.timings().get("total").toNanos() / 1e9;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String pretty(Object value) {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues().create()
                .toJson(value) + "\n";
    }

    private static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static int threads() {
        String p = System.getProperty("ai.djl.pytorch.num_threads");
        try {
            return p != null ? Integer.parseInt(p.trim()) : Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** Collects the quickstart's inputs; {@link #build()} checks them. */
    public static final class Builder {
        private QuickstartSettings settings = QuickstartSettings.defaults();
        private ModelCache cache = ModelCache.defaultCache();
        private Path dataDir;
        private PrintWriter log = new PrintWriter(System.err, true);
        private boolean progressBar;
        private String command = "./distill4j quickstart";

        private Builder() {}

        /**
         * Sets the settings (default {@link QuickstartSettings#defaults()}).
         *
         * @param value the settings
         * @return this builder
         */
        public Builder optSettings(QuickstartSettings value) {
            settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /**
         * Sets the cache (default {@link ModelCache#defaultCache()}).
         *
         * @param value the cache
         * @return this builder
         */
        public Builder optCache(ModelCache value) {
            cache = Objects.requireNonNull(value, "cache");
            return this;
        }

        /**
         * Sets the folder of the spam split files (default {@link SpamDataset#locate()}).
         *
         * @param value the folder holding {@code train.tsv.gz}, {@code dev.tsv.gz}, {@code test.tsv.gz}
         * @return this builder
         */
        public Builder optDataDir(Path value) {
            dataDir = value;
            return this;
        }

        /**
         * Sets where progress goes (default standard error).
         *
         * @param value the writer
         * @return this builder
         */
        public Builder optLog(PrintWriter value) {
            log = Objects.requireNonNull(value, "log");
            return this;
        }

        /**
         * Shows the engine's progress bars on standard error (default off).
         *
         * @param value true to show them
         * @return this builder
         */
        public Builder optProgressBar(boolean value) {
            progressBar = value;
            return this;
        }

        /**
         * Sets the command line recorded in the report (default {@code ./distill4j quickstart}).
         *
         * @param value the command line
         * @return this builder
         */
        public Builder optCommand(String value) {
            command = Objects.requireNonNull(value, "command");
            return this;
        }

        /**
         * Builds the quickstart.
         *
         * @return the quickstart
         */
        public Quickstart build() {
            return new Quickstart(this);
        }
    }
}
