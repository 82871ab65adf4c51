package ai.distill4j.distill.run;

import ai.distill4j.ValidationException;
import ai.distill4j.distill.AdaptedModel;
import ai.distill4j.distill.BasicDistiller;
import ai.distill4j.distill.BasicTrainer;
import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.Distiller;
import ai.distill4j.distill.GeneralDistiller;
import ai.distill4j.distill.MultiTaskDistiller;
import ai.distill4j.distill.MultiTeacherDistiller;
import ai.distill4j.distill.NonFinitePolicy;
import ai.distill4j.distill.TaskBatch;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.OutputFolder;
import ai.distill4j.distill.internal.JsonReader;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.distill4j.model.pooling.Pooling;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A whole distillation described by one JSON file (golden/RUN-FILES.md), so that {@code ./distill4j distill --run
 * RUN.json [--resume]} runs it: {@code RunFile.read(path).run(resume)}.
 *
 * <p>{@link #read} parses and validates everything that does not need the files it names (configs, optimizer, field
 * types); {@link #run} checks that those files exist ({@link #checkFiles()}) and that the output folder is usable,
 * loads the models, checks the intermediate matches against them, trains, and writes
 * {@code metrics.jsonl}, {@code eval.jsonl}, checkpoints, TensorBoard events and a PNG of the loss curves into
 * {@code training_config.output_dir}. Paths are relative to the run file.
 *
 * <p>Sentence-embedding runs need no labels: {@code adaptor.pooling} and {@code adaptor.normalize} choose how the
 * {@code sentence} feature is pooled, {@code train_data} may be text without a label column when neither the
 * hard-label loss nor the probability shift is on, {@code "evaluation": {"metric": "embedding_agreement"}} ranks
 * checkpoints by how closely the student's sentence vectors agree with the teacher's, and
 * {@code "saved_models": {"format": "sentence_transformers"}} writes the best student as a Sentence-Transformers
 * folder ({@link RunResult#sentenceTransformersDir()}).
 *
 * @since 0.1.0
 */
public final class RunFile {

    /** The run-file keys this build knows. */
    public static final Set<String> JSON_KEYS = Set.of(
            "distiller", "teacher", "teachers", "teacher_weights", "tasks", "tau", "student", "train_data",
            "eval_data", "batch_size", "shuffle", "seed", "num_epochs", "num_steps", "max_grad_norm", "dropout",
            "optimizer", "adaptor", "hard_label_loss", "training_config", "distillation_config", "evaluation",
            "progress_bar", "long_sequences", "non_finite", "saved_models");

    /** The distillers a run file can name. */
    public static final Set<String> DISTILLERS = Set.of(
            "BasicTrainer", "BasicDistiller", "GeneralDistiller", "MultiTeacherDistiller", "MultiTaskDistiller");

    private final Path file;
    private final Path base;
    private final JsonObject json;
    private final String distiller;
    private final TrainingConfig trainingConfig;
    private final DistillationConfig distillationConfig;
    private final OptimizerConfig optimizer;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final Integer numEpochs;
    private final Integer numSteps;
    private final double maxGradNorm;
    private final boolean dropout;
    private final RunAdaptor adaptor;
    private final boolean hardLabelLoss;
    private final boolean progressBar;
    private final LongSequences longSequences;
    private final NonFinitePolicy nonFinite;
    private final RunEvaluation evaluation;
    private final SavedModels savedModels;
    /** Existence checks of the folders and files the run names, made by {@link #checkFiles()}. */
    private final List<Runnable> fileChecks = new ArrayList<>();

    private RunFile(Path file, JsonObject json) {
        this.file = file;
        this.base = file.toAbsolutePath().getParent();
        this.json = json;
        JsonReader r = new JsonReader(json, "");
        r.requireOnly(JSON_KEYS);
        distiller = r.getString("distiller", null);
        Invalid.check(distiller != null, "distiller", null, "is required: one of " + new java.util.TreeSet<>(DISTILLERS));
        if (!DISTILLERS.contains(distiller)) {
            throw Invalid.unknownName("distiller", distiller, "distiller", DISTILLERS);
        }
        JsonObject tc = r.has("training_config") ? r.getObject("training_config").object().deepCopy() : new JsonObject();
        JsonReader tcr = new JsonReader(tc, "training_config");
        for (String key : List.of("output_dir", "log_dir")) {
            String value = tcr.getString(key, null);
            if (value != null) {
                tc.addProperty(key, resolvePath(value, tcr.field(key)).toString());
            }
        }
        if (!tc.has("output_dir")) {
            tc.addProperty("output_dir", base.resolve("saved_models").toString());
        }
        trainingConfig = TrainingConfig.fromJsonObject(tc);
        distillationConfig = DistillationConfig.fromJsonObject(
                r.has("distillation_config") ? r.getObject("distillation_config").object() : new JsonObject(),
                LossRegistry.global());
        if (!r.has("optimizer")) {
            throw new IllegalArgumentException("optimizer is missing: give {\"name\": \"sgd\" | \"adamw\", \"lr\": ...}");
        }
        optimizer = OptimizerConfig.fromJson(r.getObject("optimizer").object(), "optimizer");
        batchSize = r.getInt("batch_size", 32);
        Invalid.check(batchSize >= 1, "batch_size", batchSize, "must be >= 1");
        shuffle = r.getBoolean("shuffle", false);
        seed = r.getInt("seed", 0);
        numEpochs = r.getIntOrNull("num_epochs");
        numSteps = r.getIntOrNull("num_steps");
        if (numEpochs == null && numSteps == null) {
            throw new IllegalArgumentException("num_epochs and num_steps are both missing: set one of them");
        }
        if (numSteps != null && trainingConfig.ckptSteps().isEmpty()) {
            throw new IllegalArgumentException("training_config.ckpt_steps = null: it is required with num_steps ("
                    + numSteps + ")");
        }
        maxGradNorm = r.getDouble("max_grad_norm", -1);
        dropout = r.getBoolean("dropout", true);
        adaptor = RunAdaptor.parse(r.getObject("adaptor"));
        String hl = r.getString("hard_label_loss", "none");
        Invalid.check(hl.equals("ce") || hl.equals("none"), "hard_label_loss", hl, "must be \"ce\" or \"none\"");
        hardLabelLoss = hl.equals("ce");
        progressBar = r.getBoolean("progress_bar", true);
        longSequences = LongSequences.parse(r.getString("long_sequences", "reject"), "long_sequences");
        nonFinite = NonFinitePolicy.parse(r.getString("non_finite", "stop"), "non_finite");
        evaluation = RunEvaluation.parse(r.getObject("evaluation"));
        Invalid.check(!r.has("evaluation") || r.has("eval_data"), "evaluation", r.raw("evaluation"),
                "evaluates on eval_data, which is missing; add eval_data or remove evaluation");
        Invalid.check(!evaluation.agreement() || !distiller.equals("BasicTrainer"), "evaluation.metric",
                evaluation.metric(), "compares the student's sentence vectors with a teacher's; BasicTrainer has no "
                        + "teacher");
        savedModels = SavedModels.parse(r.getObject("saved_models"));
        if (savedModels.tokenizer() != null) {
            Path tok = tokenizerFile(resolvePath(savedModels.tokenizer(), "saved_models.tokenizer"));
            fileChecks.add(() -> Invalid.check(Files.isRegularFile(tok) && Files.isReadable(tok),
                    "saved_models.tokenizer", savedModels.tokenizer(), tok + " does not exist or is not readable"));
        }
        switch (distiller) {
            case "BasicTrainer" -> {
                Invalid.check(hardLabelLoss, "hard_label_loss", hl, "BasicTrainer needs \"ce\": it trains on the labels");
                Invalid.check(!r.has("teacher") && !r.has("teachers") && !r.has("tasks"), "teacher", null,
                        "BasicTrainer trains without a teacher; remove teacher/teachers/tasks or pick a distiller");
            }
            case "MultiTeacherDistiller" -> {
                Invalid.check(r.has("teachers"), "teachers", null, "MultiTeacherDistiller needs a list of teachers");
                JsonArray ts = r.getArray("teachers");
                Invalid.check(!ts.isEmpty(), "teachers", ts.toString(), "must list at least one teacher folder");
                for (int i = 0; i < ts.size(); i++) {
                    requireModelDir(string(ts.get(i), "teachers[" + i + "]"), "teachers[" + i + "]");
                }
                if (r.has("teacher_weights")) {
                    JsonArray w = r.getArray("teacher_weights");
                    Invalid.check(w.size() == ts.size(), "teacher_weights", w.toString(),
                            "must give one weight per teacher (" + ts.size() + ")");
                    for (int i = 0; i < w.size(); i++) {
                        double v = JsonReader.asDouble(w.get(i), "teacher_weights[" + i + "]");
                        Invalid.check(Double.isFinite(v) && v >= 0, "teacher_weights[" + i + "]", v,
                                "must be a finite number >= 0");
                    }
                }
            }
            case "MultiTaskDistiller" -> {
                Invalid.check(r.has("tasks"), "tasks", null, "MultiTaskDistiller needs {name: {teacher, train_data}}");
                Invalid.check(numSteps != null, "num_steps", null, "MultiTaskDistiller trains by steps: set num_steps");
                JsonReader tasks = r.getObject("tasks");
                Invalid.check(!tasks.object().keySet().isEmpty(), "tasks", "{}", "must name at least one task");
                for (String name : tasks.object().keySet()) {
                    JsonReader t = tasks.getObject(name);
                    t.requireOnly(Set.of("teacher", "train_data"));
                    Invalid.check(t.has("teacher"), t.field("teacher"), null, "is required");
                    requireModelDir(t.getString("teacher", null), t.field("teacher"));
                    requireData(t, "train_data");
                }
            }
            default -> {
                Invalid.check(r.has("teacher"), "teacher", null, distiller + " needs a teacher folder");
                requireModelDir(r.getString("teacher", null), "teacher");
            }
        }
        if (!distiller.equals("MultiTaskDistiller")) {
            requireData(r, "train_data");
        }
        if (r.has("eval_data")) {
            requireData(r, "eval_data");
        }
        JsonElement student = r.raw("student");
        if (student != null && student.isJsonPrimitive()) {
            requireModelDir(string(student, "student"), "student");
        }
    }

    private static String string(JsonElement e, String field) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw Invalid.value(field, e, "must be a string (a path relative to the run file)");
        }
        return e.getAsString();
    }

    private Path resolvePath(String path, String field) {
        try {
            return base.resolve(path).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw Invalid.value(field, path, "not a valid path (" + e.getReason() + ")");
        }
    }

    /** Records the check of a model folder: a readable config.json and safetensors weights (or their index). */
    private void requireModelDir(String path, String field) {
        Path dir = resolvePath(path, field);
        fileChecks.add(() -> checkModelDir(dir, path, field));
    }

    private static void checkModelDir(Path dir, String path, String field) {
        if (!Files.isDirectory(dir)) {
            throw Invalid.value(field, path, Files.exists(dir) ? dir + " is a file; expected a model folder with "
                    + BertModels.CONFIG + " and " + BertModels.WEIGHTS : dir + " does not exist");
        }
        Path config = dir.resolve(BertModels.CONFIG);
        if (!Files.isRegularFile(config) || !Files.isReadable(config)) {
            throw Invalid.value(field, path, dir + " has no readable " + BertModels.CONFIG);
        }
        boolean weights = Files.isReadable(dir.resolve(BertModels.WEIGHTS))
                || Files.isReadable(dir.resolve(BertModels.WEIGHTS_INDEX))
                || Files.exists(dir.resolve(BertModels.PYTORCH_WEIGHTS)); // the loader explains how to convert it
        if (!weights) {
            throw Invalid.value(field, path, dir + " has no readable " + BertModels.WEIGHTS);
        }
    }

    /** Checks a data field: a path to a readable file, or {"path": ..., "tokenizer": ...}. */
    private void requireData(JsonReader r, String key) {
        Invalid.check(r.has(key), r.field(key), null, "is required: a JSON-lines file, or {\"path\": ..., "
                + "\"format\": \"tsv\", ...}");
        JsonElement e = r.raw(key);
        if (e.isJsonPrimitive()) {
            requireFile(string(e, r.field(key)), r.field(key));
            return;
        }
        JsonReader o = r.getObject(key);
        o.requireOnly(Set.of("path", "format", "text_column", "label_column", "tokenizer", "max_length"));
        Invalid.check(o.has("path"), o.field("path"), null, "is required");
        requireFile(o.getString("path", null), o.field("path"));
        String format = o.getString("format", "jsonl");
        Invalid.check(format.equals("jsonl") || format.equals("tsv"), o.field("format"), format,
                "must be \"jsonl\" or \"tsv\"");
        if (format.equals("tsv")) {
            Invalid.check(o.has("text_column"), o.field("text_column"), null, "is required for tsv data");
            o.getString("text_column", null);
            o.getString("label_column", null);
            Invalid.check(o.has("tokenizer"), o.field("tokenizer"), null, "is required for tsv data (a tokenizer.json)");
            Path tokenizer = tokenizerFile(resolvePath(o.getString("tokenizer", null), o.field("tokenizer")));
            String tokField = o.field("tokenizer");
            String tokValue = o.getString("tokenizer", null);
            fileChecks.add(() -> Invalid.check(Files.isRegularFile(tokenizer) && Files.isReadable(tokenizer), tokField,
                    tokValue, tokenizer + " does not exist or is not readable"));
            int maxLength = o.getInt("max_length", 128);
            Invalid.check(maxLength >= 2, o.field("max_length"), maxLength, "must be >= 2");
        }
    }

    /** A tokenizer path as written: a {@code tokenizer.json}, or a folder holding one. */
    private static Path tokenizerFile(Path path) {
        return Files.isDirectory(path) ? path.resolve(BertModels.TOKENIZER) : path;
    }

    private void requireFile(String path, String field) {
        Path p = resolvePath(path, field);
        fileChecks.add(() -> checkFile(p, path, field));
    }

    private static void checkFile(Path p, String path, String field) {
        if (!Files.isRegularFile(p)) {
            throw Invalid.value(field, path, Files.isDirectory(p) ? p + " is a folder; expected a data file"
                    : p + " does not exist");
        }
        if (!Files.isReadable(p)) {
            throw Invalid.value(field, path, p + " is not readable");
        }
    }

    /**
     * Reads and validates a run file.
     *
     * @param file the run file
     * @return the run
     * @throws IOException when the file cannot be read
     * @throws ValidationException when a field is invalid (the message names the field, the value and the rule)
     */
    public static RunFile read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException ex) {
            throw new ValidationException(file + ": not valid UTF-8 text", ex);
        }
        JsonElement e;
        try {
            e = JsonParser.parseString(text);
        } catch (RuntimeException ex) {
            throw new ValidationException(file + ": not valid JSON: " + oneLine(ex.getMessage()), ex);
        }
        if (e == null || !e.isJsonObject()) {
            throw new ValidationException(file + ": a run file is one JSON object");
        }
        try {
            return new RunFile(file, e.getAsJsonObject());
        } catch (IllegalArgumentException ex) {
            throw ValidationException.of(ex);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    /**
     * Checks that every folder and file the run names exists and is readable: teachers and student (a
     * {@code config.json} and safetensors weights), data files, tokenizers. {@link #run} calls it first, before it
     * loads anything or writes anything.
     *
     * @throws ValidationException naming the first field whose path is missing or unusable
     */
    public void checkFiles() {
        for (Runnable check : fileChecks) {
            check.run();
        }
    }

    /**
     * Returns the run file's path.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the distiller name.
     *
     * @return e.g. {@code GeneralDistiller}
     */
    public String distiller() {
        return distiller;
    }

    /**
     * Returns the training config (paths resolved against the run file).
     *
     * @return the config
     */
    public TrainingConfig trainingConfig() {
        return trainingConfig;
    }

    /**
     * Returns the distillation config.
     *
     * @return the config
     */
    public DistillationConfig distillationConfig() {
        return distillationConfig;
    }

    /**
     * Returns how the adaptors pool the {@code sentence} feature ({@code adaptor.pooling}, {@code adaptor.normalize});
     * the embedding-agreement evaluation and a Sentence-Transformers export use the same pooling.
     *
     * @return the pooling, mean without normalisation by default
     */
    public Pooling sentencePooling() {
        return adaptor.pooling();
    }

    /**
     * Returns the output folder.
     *
     * @return {@code training_config.output_dir}, absolute
     */
    public Path outputDir() {
        return Path.of(trainingConfig.outputDir());
    }

    /**
     * Runs the distillation.
     *
     * @param resume continue from the newest complete checkpoint in the output folder
     * @return what the run did and where it wrote
     * @throws IOException when models, data, logs or checkpoints cannot be read or written
     * @throws ValidationException when a file is missing, the output folder is unusable, or the models, data and
     *     configs do not fit together: all before training, with nothing written
     */
    public RunResult run(boolean resume) throws IOException {
        checkFiles();
        OutputFolder.check(outputDir(), "training_config.output_dir", resume);
        JsonReader r = new JsonReader(json, "");
        try (NDManager models = NDManager.newBaseManager()) {
            models.setName("run-models");
            Prepared prepared;
            try {
                prepared = distiller.equals("MultiTaskDistiller")
                        ? prepareMultiTask(r, models, resume) : prepareSingle(r, models, resume);
            } catch (IllegalArgumentException e) {
                throw ValidationException.of(e);
            }
            try (Prepared p = prepared) {
                TrainResult result = p.train();
                Path exported = p.export() == null ? null : p.export().write(result, outputDir());
                return new RunResult(this, result, outputDir(), Optional.ofNullable(exported));
            }
        }
    }

    /**
     * A distiller with its options and data, ready to train, and what is exported afterwards; everything before
     * {@link #train} is validation.
     */
    private interface Prepared extends AutoCloseable {
        TrainResult train() throws IOException;

        /** The Sentence-Transformers export written after training, or null. */
        SavedModels.Export export();

        @Override
        void close();
    }

    private static <B> Prepared prepared(Distiller<B> d, TrainOptions<B> options, DataSource<B> data,
            SavedModels.Export export) {
        return new Prepared() {
            @Override
            public TrainResult train() throws IOException {
                return d.train(options, data);
            }

            @Override
            public SavedModels.Export export() {
                return export;
            }

            @Override
            public void close() {
                d.close();
            }
        };
    }

    private TrainOptions.Builder<BertBatch> options(boolean resume) {
        TrainOptions.Builder<BertBatch> b = TrainOptions.<BertBatch>builder(optimizer)
                .optMaxGradNorm(maxGradNorm).optSeed(seed).optResume(resume).optProgressBar(progressBar)
                .optNonFinite(nonFinite);
        if (numSteps != null) {
            b.optNumSteps(numSteps);
        } else {
            b.optNumEpochs(numEpochs);
        }
        return b;
    }

    /** Checks the examples against the student and every teacher (vocabulary, token types, labels, length). */
    private Examples fit(Examples examples, BertModel student, List<BertModel> teachers, boolean labels) {
        Examples fitted = examples.fitTo(student.config(), "student", longSequences,
                labels && student.head() == BertHead.SEQUENCE_CLASSIFICATION);
        for (BertModel t : teachers) {
            fitted = fitted.fitTo(t.config(), "teacher", longSequences, false);
        }
        return fitted;
    }

    private Prepared prepareSingle(JsonReader r, NDManager models, boolean resume) throws IOException {
        List<LoadedBert> teachers = new ArrayList<>();
        if (r.has("teacher")) {
            teachers.add(loadModel(r.getString("teacher", null), "teacher", models));
        }
        if (r.has("teachers")) {
            JsonArray a = r.getArray("teachers");
            for (int i = 0; i < a.size(); i++) {
                teachers.add(loadModel(string(a.get(i), "teachers[" + i + "]"), "teachers[" + i + "]", models));
            }
        }
        List<BertModel> teacherModels = new ArrayList<>();
        teachers.forEach(t -> teacherModels.add(t.model()));
        Map<String, Integer> label2id = teachers.isEmpty() ? Map.of() : teachers.get(0).config().label2id();
        Examples train = examples(r, "train_data", label2id);
        requireLabelsWhereNeeded(train, r, "train_data");
        BertModel teacher = teachers.isEmpty() ? null : teachers.get(0).model();
        BertModel student = student(r, teacher, models);
        train = fit(train, student, teacherModels, hardLabelLoss);
        AdaptedModel<BertBatch> s = adapted(student);
        DataSource<BertBatch> data = dataSource(train);
        TrainOptions.Builder<BertBatch> ob = options(resume);
        Examples eval = r.has("eval_data") ? examples(r, "eval_data", label2id.isEmpty()
                ? student.config().label2id() : label2id) : null;
        if (eval != null) {
            boolean agreement = evaluation.agreement();
            Examples fitted = fit(eval, student, agreement && teacher != null ? List.of(teacher) : List.of(),
                    !agreement);
            ob.optEvaluation(evaluation.build(student, teacher, fitted, dataName(r, "eval_data"), adaptor.pooling(),
                    batchSize));
        }
        SavedModels.Export export = export(r, student, train);
        TrainOptions<BertBatch> options = ob.build();
        Distiller<BertBatch> d = switch (distiller) {
            case "BasicTrainer" -> new BasicTrainer<>(trainingConfig, s);
            case "BasicDistiller" -> new BasicDistiller<>(trainingConfig, distillationConfig,
                    adapted(teachers.get(0).model()), s);
            case "GeneralDistiller" -> new GeneralDistiller<>(trainingConfig, distillationConfig,
                    adapted(teachers.get(0).model()), s);
            case "MultiTeacherDistiller" -> {
                List<AdaptedModel<BertBatch>> ts = new ArrayList<>();
                for (LoadedBert t : teachers) {
                    ts.add(adapted(t.model()));
                }
                double[] weights = null;
                if (r.has("teacher_weights")) {
                    JsonArray w = r.getArray("teacher_weights");
                    weights = new double[w.size()];
                    for (int i = 0; i < weights.length; i++) {
                        weights[i] = JsonReader.asDouble(w.get(i), "teacher_weights[" + i + "]");
                    }
                }
                yield new MultiTeacherDistiller<>(trainingConfig, distillationConfig, ts, weights, s);
            }
            default -> throw new IllegalStateException(distiller);
        };
        return prepared(d, options, data, export);
    }

    private Prepared prepareMultiTask(JsonReader r, NDManager models, boolean resume) throws IOException {
        JsonReader tasks = r.getObject("tasks");
        Map<String, AdaptedModel<BertBatch>> teachers = new LinkedHashMap<>();
        Map<String, Examples> examples = new LinkedHashMap<>();
        Map<String, BertModel> teacherModels = new LinkedHashMap<>();
        BertModel first = null;
        for (String name : tasks.object().keySet()) {
            JsonReader t = tasks.getObject(name);
            t.requireOnly(Set.of("teacher", "train_data"));
            LoadedBert teacher = loadModel(t.getString("teacher", null), t.field("teacher"), models);
            if (first == null) {
                first = teacher.model();
            }
            teachers.put(name, adapted(teacher.model()));
            teacherModels.put(name, teacher.model());
            Examples taskData = examples(t, "train_data", teacher.config().label2id());
            requireLabelsWhereNeeded(taskData, t, "train_data");
            examples.put(name, taskData);
        }
        BertModel student = student(r, first, models);
        Map<String, DataSource<BertBatch>> data = new LinkedHashMap<>();
        Examples firstTask = null;
        for (Map.Entry<String, Examples> e : examples.entrySet()) {
            Examples fitted = fit(e.getValue(), student, List.of(teacherModels.get(e.getKey())), false);
            firstTask = firstTask == null ? fitted : firstTask;
            data.put(e.getKey(), dataSource(fitted));
        }
        SavedModels.Export export = export(r, student, firstTask);
        Map<String, AdaptedModel<BertBatch>> students = new LinkedHashMap<>();
        AdaptedModel<BertBatch> s = adapted(student);
        for (String name : teachers.keySet()) {
            students.put(name, s);
        }
        TrainOptions<TaskBatch<BertBatch>> options = TrainOptions.<TaskBatch<BertBatch>>builder(optimizer)
                .optMaxGradNorm(maxGradNorm).optSeed(seed).optResume(resume).optProgressBar(progressBar)
                .optNumSteps(numSteps).optTau(r.getDouble("tau", 1)).optNonFinite(nonFinite).build();
        MultiTaskDistiller<BertBatch> d = new MultiTaskDistiller<>(trainingConfig, distillationConfig, teachers,
                students);
        return new Prepared() {
            @Override
            public TrainResult train() throws IOException {
                return d.train(options, data);
            }

            @Override
            public SavedModels.Export export() {
                return export;
            }

            @Override
            public void close() {
                d.close();
            }
        };
    }

    /**
     * Refuses unlabelled data when something needs labels: the hard-label loss ({@code hard_label_loss} "ce", which
     * BasicTrainer requires) and the probability shift. KD on the teacher's logits and the intermediate matches
     * (hidden states, attention, {@code sentence}) need none.
     */
    private void requireLabelsWhereNeeded(Examples data, JsonReader r, String key) {
        if (data.labelled()) {
            return;
        }
        String where = r.field(key) + " " + dataName(r, key) + " has none";
        Invalid.check(!hardLabelLoss, "hard_label_loss", "ce", "needs labels, but " + where + "; set "
                + "\"hard_label_loss\": \"none\" to distil without labels (KD on the teacher's logits and the "
                + "intermediate matches need none)");
        Invalid.check(!distillationConfig.probabilityShift(), "distillation_config.probability_shift", true,
                "needs labels, but " + where + "; set it to false for unlabelled data");
    }

    /** The data of a field as written, for messages: {@code 'train.tsv' (no label_column)}. */
    private static String dataName(JsonReader r, String key) {
        JsonElement e = r.raw(key);
        if (e == null || e.isJsonPrimitive()) {
            return "'" + (e == null ? null : e.getAsString()) + "'";
        }
        JsonReader o = r.getObject(key);
        boolean tsv = "tsv".equals(o.getString("format", "jsonl"));
        return "'" + o.getString("path", null) + "'" + (tsv && !o.has("label_column") ? " (no label_column)" : "");
    }

    /**
     * Plans the Sentence-Transformers export of {@code saved_models}, checked before training: the
     * {@code max_seq_length} against the student and a tokenizer to copy.
     */
    private SavedModels.Export export(JsonReader r, BertModel student, Examples train) {
        if (!savedModels.sentenceTransformers()) {
            return null;
        }
        Set<Path> tokenizers = new java.util.LinkedHashSet<>();
        if (savedModels.tokenizer() != null) {
            tokenizers.add(tokenizerFile(resolvePath(savedModels.tokenizer(), "saved_models.tokenizer")));
        }
        JsonReader data = distiller.equals("MultiTaskDistiller")
                ? r.getObject("tasks").getObject(r.getObject("tasks").object().keySet().iterator().next()) : r;
        JsonElement d = data.raw("train_data");
        if (d != null && d.isJsonObject() && d.getAsJsonObject().has("tokenizer")) {
            tokenizers.add(tokenizerFile(resolvePath(data.getObject("train_data").getString("tokenizer", null),
                    data.field("train_data") + ".tokenizer")));
        }
        for (JsonReader holder : List.of(r, data)) {
            for (String key : List.of("teacher", "student")) {
                JsonElement folder = holder.raw(key);
                if (folder != null && folder.isJsonPrimitive()) {
                    tokenizers.add(resolvePath(folder.getAsString(), holder.field(key)).resolve(BertModels.TOKENIZER));
                }
            }
        }
        if (r.has("teachers")) {
            for (JsonElement t : r.getArray("teachers")) {
                tokenizers.add(resolvePath(t.getAsString(), "teachers").resolve(BertModels.TOKENIZER));
            }
        }
        return savedModels.plan(student.config(), train.sequenceLength(), new ArrayList<>(tokenizers),
                adaptor.pooling());
    }

    /** Reads {@code key}: a JSON-lines path, or {"path", "format": "tsv", "text_column", "label_column", ...}. */
    private Examples examples(JsonReader r, String key, Map<String, Integer> label2id) throws IOException {
        JsonElement e = r.raw(key);
        if (e == null) {
            throw new IllegalArgumentException(r.field(key) + " is missing");
        }
        if (e.isJsonPrimitive()) {
            return Examples.readJsonLines(resolve(e.getAsString(), r.field(key)));
        }
        JsonReader o = r.getObject(key);
        o.requireOnly(Set.of("path", "format", "text_column", "label_column", "tokenizer", "max_length"));
        String format = o.getString("format", "jsonl");
        if (format.equals("jsonl")) {
            return Examples.readJsonLines(resolve(o.getString("path", null), o.field("path")));
        }
        Invalid.check(format.equals("tsv"), o.field("format"), format, "must be \"jsonl\" or \"tsv\"");
        Invalid.check(o.has("text_column"), o.field("text_column"), null, "is required for tsv data");
        Invalid.check(o.has("tokenizer"), o.field("tokenizer"), null, "is required for tsv data (a tokenizer.json)");
        int maxLength = o.getInt("max_length", 128);
        Invalid.check(maxLength >= 2, o.field("max_length"), maxLength, "must be >= 2");
        Path tokenizer = resolve(o.getString("tokenizer", null), o.field("tokenizer"));
        if (Files.isDirectory(tokenizer)) {
            tokenizer = tokenizer.resolve("tokenizer.json");
        }
        return Examples.readTsv(resolve(o.getString("path", null), o.field("path")), o.getString("text_column", null),
                o.getString("label_column", null), tokenizer, maxLength, label2id);
    }

    private DataSource<BertBatch> dataSource(Examples examples) {
        if (!shuffle) {
            return DataSource.of(examples.batches(batchSize));
        }
        if (distillationConfig.isCachingLogits()) {
            // cached teacher outputs are per batch: keep the batches, shuffle their order every epoch
            return DataSource.shuffled(examples.batches(batchSize), seed);
        }
        int batches = (examples.size() + batchSize - 1) / batchSize;
        return new DataSource<>() {
            @Override
            public Iterator<BertBatch> pass(int epoch) {
                return examples.shuffledBatches(batchSize, seed, epoch).iterator();
            }

            @Override
            public OptionalInt size() {
                return OptionalInt.of(batches);
            }
        };
    }

    private AdaptedModel<BertBatch> adapted(BertModel model) {
        BertDistillModel m = BertDistillModel.of(model);
        if (!dropout) {
            m = m.withoutDropout();
        }
        boolean qkv = distillationConfig.intermediateMatches().stream()
                .anyMatch(x -> Set.of("query", "key", "value").contains(x.feature()));
        if (qkv) {
            m = m.withQkv();
        }
        return AdaptedModel.of(m, adaptor.adaptor(model.config(), hardLabelLoss));
    }

    private LoadedBert loadModel(String path, String field, NDManager models) throws IOException {
        Path dir = resolve(path, field);
        return BertModels.load(dir, models);
    }

    private BertModel student(JsonReader r, BertModel teacher, NDManager models) throws IOException {
        JsonElement e = r.raw("student");
        if (e == null) {
            throw new IllegalArgumentException("student is missing: give a checkpoint folder, {\"from_teacher\": "
                    + "{\"layers\": [...]}} or {\"config\": {...}, \"init\": \"random\"}");
        }
        if (e.isJsonPrimitive()) {
            return loadModel(string(e, "student"), "student", models).model();
        }
        JsonReader s = r.getObject("student");
        if (s.has("from_teacher")) {
            s.requireOnly(Set.of("from_teacher"));
            Invalid.check(teacher != null, "student.from_teacher", null, "needs a teacher");
            JsonReader from = s.getObject("from_teacher");
            from.requireOnly(Set.of("layers"));
            JsonArray layers = from.getArray("layers");
            Invalid.check(layers != null && !layers.isEmpty(), "student.from_teacher.layers", layers,
                    "must list the teacher's encoder layers to copy");
            int[] idx = new int[layers.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = JsonReader.asInt(layers.get(i), "student.from_teacher.layers[" + i + "]");
                Invalid.check(idx[i] >= 0 && idx[i] < teacher.config().numHiddenLayers(),
                        "student.from_teacher.layers[" + i + "]", idx[i],
                        "must be a teacher layer in 0.." + (teacher.config().numHiddenLayers() - 1));
            }
            return Students.fromTeacher(teacher, idx, models);
        }
        s.requireOnly(Set.of("config", "init"));
        Invalid.check("random".equals(s.getString("init", "random")), "student.init", s.getString("init", null),
                "must be \"random\"");
        JsonReader cfg = s.getObject("config");
        Invalid.check(cfg != null, "student.config", null, "is required with init \"random\"");
        BertConfig config;
        try {
            config = BertConfig.fromJsonObject(cfg.object());
        } catch (IllegalArgumentException ex) {
            throw ValidationException.prefixed("student.config", ex);
        }
        BertHead head = teacher != null ? teacher.head() : config.impliedHead();
        return Students.random(config, head, seed, models);
    }

    private Path resolve(String path, String field) {
        Invalid.check(path != null, field, null, "is required");
        Path p = resolvePath(path, field);
        if (!Files.exists(p)) {
            throw Invalid.value(field, path, p + " does not exist");
        }
        return p;
    }
}
