package ai.distill4j.examples.multiteacher;

import ai.distill4j.distill.BasicTrainer;
import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.Distillers;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Spam classifiers fine-tuned from a base BERT (all-MiniLM-L6-v2 in the examples), one per seed, cached on disk.
 *
 * <p>A teacher is the base encoder with a sequence-classification head (pooler and classifier drawn from
 * N(0, initializer_range) by a Java generator seeded with the teacher's seed), trained for one epoch on a seeded
 * sample of the training split with cross-entropy ({@link BasicTrainer}), AdamW and a linear schedule, its word
 * embeddings frozen. The seed picks the head's initial weights, the training sample and its order, and the
 * dropout masks, so teachers of different seeds differ the way independently fine-tuned models do. Each teacher is
 * saved to {@code <cache>/<budget label>/seed-<seed>/} (HuggingFace layout, {@code tokenizer.json} included) and
 * loaded from there on later runs.
 *
 * @since 0.1.0
 */
public final class SpamTeachers {

    /** The file, in a teacher folder, recording how long its fine-tuning took. */
    public static final String TRAINING_LOG = "fine-tuning.txt";

    private SpamTeachers() {}

    /**
     * Returns the folder of the teacher of a seed, fine-tuning it first when it is not cached.
     *
     * @param baseDir the base model's folder (with {@code tokenizer.json})
     * @param cacheRoot the folder holding the budget folders
     * @param budget the fine-tuning budget
     * @param seed the teacher's seed
     * @param task the spam task
     * @param log where progress goes
     * @return the teacher's folder
     * @throws IOException when reading or writing fails
     */
    public static Path ensure(Path baseDir, Path cacheRoot, TeacherBudget budget, long seed, SpamTask task,
            PrintWriter log) throws IOException {
        Path dir = cacheRoot.resolve(budget.label()).resolve("seed-" + seed);
        if (Files.isRegularFile(dir.resolve(BertModels.WEIGHTS)) && Files.isRegularFile(dir.resolve(TRAINING_LOG))) {
            log.println("using the spam teacher cached in " + dir);
            log.flush();
            return dir;
        }
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), "seed-" + seed + ".tmp");
        try {
            fineTune(baseDir, budget, seed, task, tmp, log);
            if (Files.exists(dir)) {
                DurableFiles.deleteRecursively(dir);
            }
            Files.move(tmp.resolve("model"), dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            DurableFiles.deleteRecursively(tmp);
        }
        return dir;
    }

    /**
     * Fine-tunes one teacher and saves it to {@code <work>/model}; the engine's logs stay in {@code <work>/run}.
     *
     * @param baseDir the base model's folder
     * @param budget the budget
     * @param seed the seed
     * @param task the spam task
     * @param work an empty folder
     * @param log where progress goes
     * @throws IOException when reading or writing fails
     */
    static void fineTune(Path baseDir, TeacherBudget budget, long seed, SpamTask task, Path work, PrintWriter log)
            throws IOException {
        Path tokenizerJson = baseDir.resolve(BertModels.TOKENIZER);
        List<BertBatch> batches = SpamTask.batches(tokenizerJson, task.trainSample(budget.texts(), seed),
                budget.maxLength(), budget.batchSize(), seed);
        log.printf(Locale.ROOT, "fine-tuning spam teacher seed %d (%s, %d batches)%n", seed, budget.label(),
                batches.size());
        log.flush();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.setName("teacher-" + seed);
            LoadedBert loaded = BertModels.load(baseDir, manager, BertHead.SEQUENCE_CLASSIFICATION);
            BertModel model = loaded.model();
            initialiseHead(model, seed, loaded.initialisedHeadTensors());
            model.namedParameters().get("embeddings.word_embeddings.weight").freeze(true);
            TrainingConfig tc = TrainingConfig.builder().optOutputDir(work.resolve("run").toString())
                    .optKeepLastCheckpoints(1).build();
            long start = System.nanoTime();
            try (BasicTrainer<BertBatch> trainer = Distillers.trainer(model, tc)) {
                TrainResult r = trainer.train(TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(budget.learningRate())
                                        .optWeightDecay(0.01).optWarmupProportion(0.1).optSchedule("linear").build())
                                .optNumEpochs(1).optMaxGradNorm(1.0).optSeed(seed).optProgressBar(false).build(),
                        DataSource.of(batches));
                double seconds = (System.nanoTime() - start) / 1e9;
                Path out = work.resolve("model");
                BertModels.save(model, out, tokenizerJson);
                Files.writeString(out.resolve(TRAINING_LOG), String.format(Locale.ROOT,
                        "seed=%d budget=%s steps=%d seconds=%.1f last_loss=%s%n", seed, budget.label(),
                        r.globalSteps(), seconds, r.finalLosses().get("total_loss")), StandardCharsets.UTF_8);
                log.printf(Locale.ROOT, "teacher seed %d: %d steps in %.0f s, last loss %.4f%n", seed,
                        r.globalSteps(), seconds, r.finalLosses().getOrDefault("total_loss", Double.NaN));
                log.flush();
            }
        }
    }

    /**
     * Reads how many seconds a cached teacher's fine-tuning took.
     *
     * @param teacherDir the teacher's folder
     * @return the seconds, or NaN when not recorded
     * @throws IOException when the file cannot be read
     */
    public static double fineTuningSeconds(Path teacherDir) throws IOException {
        Path f = teacherDir.resolve(TRAINING_LOG);
        if (!Files.isRegularFile(f)) {
            return Double.NaN;
        }
        for (String field : Files.readString(f, StandardCharsets.UTF_8).trim().split(" ")) {
            if (field.startsWith("seconds=")) {
                return Double.parseDouble(field.substring("seconds=".length()));
            }
        }
        return Double.NaN;
    }

    /**
     * Draws freshly added head weights from N(0, initializer_range) with a generator seeded by {@code seed}
     * (biases 0), so that the head does not depend on the engine's random state. Head tensors that came from the
     * checkpoint (e.g. a pre-trained pooler) are left as they are.
     *
     * @param model a model with a sequence-classification head
     * @param seed the seed
     * @param initialised the names of the tensors the loader initialised ({@link LoadedBert#initialisedHeadTensors()})
     */
    public static void initialiseHead(BertModel model, long seed, List<String> initialised) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String n : initialised) {
            names.add(BertModels.canonicalName(n));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double std = model.config().initializerRange();
        for (var en : model.namedParameters().entrySet()) {
            String name = en.getKey();
            if (!names.contains(name)) {
                continue;
            }
            Parameter p = en.getValue();
            int n = Math.toIntExact(p.getShape().size());
            ByteBuffer buf = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
            boolean weight = name.endsWith(".weight");
            for (int i = 0; i < n; i++) {
                buf.putFloat(weight ? (float) (rng.nextGaussian() * std) : 0f);
            }
            p.getArray().set(buf.flip());
        }
    }

}
