package ai.distill4j.examples.quickstart;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The knobs of the quickstart: how much data, how long the sequences, how many epochs, the learning rates, the
 * distillation temperature and which teacher layers the 3-layer student starts from. Immutable; three presets
 * ({@link #defaults()}, {@link #full()}, {@link #smoke()}) and a builder for anything else.
 *
 * <p>Sizes of 0 mean "the whole split". The teacher is fine-tuned with {@link #teacherEpochs()} epochs at
 * {@link #teacherLearningRate()}; both students get the same budget ({@link #studentEpochs()} epochs at
 * {@link #studentLearningRate()}), so the baseline differs from the distilled student only in having no teacher.
 *
 * @since 0.1.0
 */
public final class QuickstartSettings {

    /** The named presets. */
    public enum Preset {
        /** A few batches of tiny subsets: seconds, for CI. The numbers mean nothing. */
        SMOKE,
        /** The README's run: a subset that finishes in minutes on two cores. */
        DEFAULT,
        /** Every email of every split and more epochs. */
        FULL,
        /** Anything built by hand. */
        CUSTOM;

        /**
         * Returns the lower-case name used in reports.
         *
         * @return e.g. {@code default}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Preset preset;
    private final int trainExamples;
    private final int devExamples;
    private final int testExamples;
    private final int maxLength;
    private final int batchSize;
    private final int teacherEpochs;
    private final int studentEpochs;
    private final double teacherLearningRate;
    private final double studentLearningRate;
    private final double warmupProportion;
    private final double weightDecay;
    private final double maxGradNorm;
    private final double temperature;
    private final int[] studentLayers;
    private final long seed;
    private final boolean cacheTeacherOutputs;
    private final int timingExamples;

    private QuickstartSettings(Builder b) {
        preset = b.preset;
        trainExamples = b.trainExamples;
        devExamples = b.devExamples;
        testExamples = b.testExamples;
        maxLength = b.maxLength;
        batchSize = b.batchSize;
        teacherEpochs = b.teacherEpochs;
        studentEpochs = b.studentEpochs;
        teacherLearningRate = b.teacherLearningRate;
        studentLearningRate = b.studentLearningRate;
        warmupProportion = b.warmupProportion;
        weightDecay = b.weightDecay;
        maxGradNorm = b.maxGradNorm;
        temperature = b.temperature;
        studentLayers = b.studentLayers.clone();
        seed = b.seed;
        cacheTeacherOutputs = b.cacheTeacherOutputs;
        timingExamples = b.timingExamples;
    }

    /**
     * The default quickstart: 640 training emails, 256 dev emails, the whole test split, 128 tokens, batches of 32,
     * 2 epochs for the teacher and 2 for each student.
     *
     * @return the default settings
     */
    public static QuickstartSettings defaults() {
        return new Builder().build();
    }

    /**
     * The full-size recipe: every email of every split, 128 tokens, 3 epochs for the teacher and 3 for each student;
     * the teacher's outputs are not cached (they would need about 4 GB).
     *
     * @return the full settings
     */
    public static QuickstartSettings full() {
        Builder b = new Builder();
        b.preset = Preset.FULL;
        b.trainExamples = 0;
        b.devExamples = 0;
        b.testExamples = 0;
        b.teacherEpochs = 3;
        b.studentEpochs = 3;
        b.cacheTeacherOutputs = false;
        return b.build();
    }

    /**
     * The smoke run: 48 training, 16 dev and 16 test emails of 32 tokens, batches of 8, one epoch each. It checks
     * that every stage runs and writes its files; its numbers mean nothing.
     *
     * @return the smoke settings
     */
    public static QuickstartSettings smoke() {
        Builder b = new Builder();
        b.preset = Preset.SMOKE;
        b.trainExamples = 48;
        b.devExamples = 16;
        b.testExamples = 16;
        b.maxLength = 32;
        b.batchSize = 8;
        b.teacherEpochs = 1;
        b.studentEpochs = 1;
        b.timingExamples = 4;
        return b.build();
    }

    /**
     * Starts a builder with the default settings (preset {@link Preset#CUSTOM} once anything is changed).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding these settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.preset = preset;
        b.trainExamples = trainExamples;
        b.devExamples = devExamples;
        b.testExamples = testExamples;
        b.maxLength = maxLength;
        b.batchSize = batchSize;
        b.teacherEpochs = teacherEpochs;
        b.studentEpochs = studentEpochs;
        b.teacherLearningRate = teacherLearningRate;
        b.studentLearningRate = studentLearningRate;
        b.warmupProportion = warmupProportion;
        b.weightDecay = weightDecay;
        b.maxGradNorm = maxGradNorm;
        b.temperature = temperature;
        b.studentLayers = studentLayers.clone();
        b.seed = seed;
        b.cacheTeacherOutputs = cacheTeacherOutputs;
        b.timingExamples = timingExamples;
        return b;
    }

    /**
     * Returns the preset these settings come from.
     *
     * @return the preset, {@link Preset#CUSTOM} when changed by hand
     */
    public Preset preset() {
        return preset;
    }

    /**
     * Returns how many training emails are used (the first ones of the split, which is in random order).
     *
     * @return the count, 0 for all
     */
    public int trainExamples() {
        return trainExamples;
    }

    /**
     * Returns how many dev emails the per-epoch evaluation uses.
     *
     * @return the count, 0 for all
     */
    public int devExamples() {
        return devExamples;
    }

    /**
     * Returns how many test emails the final table uses.
     *
     * @return the count, 0 for all
     */
    public int testExamples() {
        return testExamples;
    }

    /**
     * Returns the sequence length: emails are truncated (and padded) to this many tokens.
     *
     * @return the length, special tokens included
     */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Returns the training and evaluation batch size.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the teacher's fine-tuning epochs.
     *
     * @return the epochs
     */
    public int teacherEpochs() {
        return teacherEpochs;
    }

    /**
     * Returns the epochs of each student (distilled and baseline).
     *
     * @return the epochs
     */
    public int studentEpochs() {
        return studentEpochs;
    }

    /**
     * Returns the teacher's peak AdamW learning rate.
     *
     * @return the learning rate
     */
    public double teacherLearningRate() {
        return teacherLearningRate;
    }

    /**
     * Returns the students' peak AdamW learning rate.
     *
     * @return the learning rate
     */
    public double studentLearningRate() {
        return studentLearningRate;
    }

    /**
     * Returns the share of steps with a linear warm-up (then linear decay to 0).
     *
     * @return the proportion in [0, 1)
     */
    public double warmupProportion() {
        return warmupProportion;
    }

    /**
     * Returns AdamW's decoupled weight decay.
     *
     * @return the weight decay
     */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Returns the global gradient-norm limit.
     *
     * @return the limit, or a value {@code <= 0} for none
     */
    public double maxGradNorm() {
        return maxGradNorm;
    }

    /**
     * Returns the distillation temperature of the KD term.
     *
     * @return the temperature
     */
    public double temperature() {
        return temperature;
    }

    /**
     * Returns the teacher layers the student's layers are copied from (0-based, one per student layer).
     *
     * @return a copy of the indices
     */
    public int[] studentLayers() {
        return studentLayers.clone();
    }

    /**
     * Returns the seed of data order, dropout and head initialisation.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Tells whether the distiller caches the teacher's outputs after the first epoch ({@code is_caching_logits}).
     *
     * @return true to run the teacher only once per batch
     */
    public boolean cacheTeacherOutputs() {
        return cacheTeacherOutputs;
    }

    /**
     * Returns how many test emails are timed at batch size 1 (batch size 32 times twice as many).
     *
     * @return the count
     */
    public int timingExamples() {
        return timingExamples;
    }

    /**
     * Returns the name of the cached fine-tuned teacher: the settings it depends on and a hash of them, so that a
     * change of data, length or schedule fine-tunes a new teacher instead of reusing the wrong one.
     *
     * @return e.g. {@code teacher-n800-len128-e2-1a2b3c4d}
     */
    public String teacherKey() {
        String recipe = "v1|train=" + trainExamples + "|dev=" + devExamples + "|len=" + maxLength + "|bs=" + batchSize
                + "|epochs=" + teacherEpochs + "|lr=" + teacherLearningRate + "|warmup=" + warmupProportion
                + "|wd=" + weightDecay + "|clip=" + maxGradNorm + "|seed=" + seed;
        String hash;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(recipe.getBytes(StandardCharsets.UTF_8));
            hash = HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        return "teacher-n" + (trainExamples == 0 ? "all" : trainExamples) + "-len" + maxLength + "-e" + teacherEpochs
                + "-" + hash;
    }

    /**
     * Returns every setting by its report name, for {@code report.json}.
     *
     * @return name to value, in a fixed order
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", preset.label());
        m.put("train_examples", trainExamples);
        m.put("dev_examples", devExamples);
        m.put("test_examples", testExamples);
        m.put("max_length", maxLength);
        m.put("batch_size", batchSize);
        m.put("teacher_epochs", teacherEpochs);
        m.put("student_epochs", studentEpochs);
        m.put("teacher_learning_rate", teacherLearningRate);
        m.put("student_learning_rate", studentLearningRate);
        m.put("warmup_proportion", warmupProportion);
        m.put("weight_decay", weightDecay);
        m.put("max_grad_norm", maxGradNorm);
        m.put("temperature", temperature);
        m.put("student_layers", Arrays.stream(studentLayers).boxed().toList());
        m.put("seed", seed);
        m.put("cache_teacher_outputs", cacheTeacherOutputs);
        m.put("timing_examples", timingExamples);
        return m;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof QuickstartSettings s && toMap().equals(s.toMap());
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "QuickstartSettings" + toMap();
    }

    /** Collects settings; {@link #build()} validates them. Every setter marks the preset {@link Preset#CUSTOM}. */
    public static final class Builder {
        private Preset preset = Preset.DEFAULT;
        private int trainExamples = 640;
        private int devExamples = 256;
        private int testExamples = 0;
        private int maxLength = 128;
        private int batchSize = 32;
        private int teacherEpochs = 2;
        private int studentEpochs = 2;
        private double teacherLearningRate = 1e-4;
        private double studentLearningRate = 1e-4;
        private double warmupProportion = 0.1;
        private double weightDecay = 0.01;
        private double maxGradNorm = 1.0;
        private double temperature = 2;
        private int[] studentLayers = {1, 3, 5};
        private long seed = 42;
        private boolean cacheTeacherOutputs = true;
        private int timingExamples = 32;

        private Builder() {}

        private Builder custom() {
            preset = Preset.CUSTOM;
            return this;
        }

        /**
         * Sets the number of training emails.
         *
         * @param value the count, 0 for all
         * @return this builder
         */
        public Builder optTrainExamples(int value) {
            trainExamples = value;
            return custom();
        }

        /**
         * Sets the number of dev emails.
         *
         * @param value the count, 0 for all
         * @return this builder
         */
        public Builder optDevExamples(int value) {
            devExamples = value;
            return custom();
        }

        /**
         * Sets the number of test emails.
         *
         * @param value the count, 0 for all
         * @return this builder
         */
        public Builder optTestExamples(int value) {
            testExamples = value;
            return custom();
        }

        /**
         * Sets the sequence length.
         *
         * @param value tokens per email, at least 8 and at most 512
         * @return this builder
         */
        public Builder optMaxLength(int value) {
            maxLength = value;
            return custom();
        }

        /**
         * Sets the batch size.
         *
         * @param value rows per batch
         * @return this builder
         */
        public Builder optBatchSize(int value) {
            batchSize = value;
            return custom();
        }

        /**
         * Sets the teacher's epochs.
         *
         * @param value the epochs
         * @return this builder
         */
        public Builder optTeacherEpochs(int value) {
            teacherEpochs = value;
            return custom();
        }

        /**
         * Sets each student's epochs.
         *
         * @param value the epochs
         * @return this builder
         */
        public Builder optStudentEpochs(int value) {
            studentEpochs = value;
            return custom();
        }

        /**
         * Sets the teacher's learning rate.
         *
         * @param value the peak learning rate
         * @return this builder
         */
        public Builder optTeacherLearningRate(double value) {
            teacherLearningRate = value;
            return custom();
        }

        /**
         * Sets the students' learning rate.
         *
         * @param value the peak learning rate
         * @return this builder
         */
        public Builder optStudentLearningRate(double value) {
            studentLearningRate = value;
            return custom();
        }

        /**
         * Sets the warm-up proportion.
         *
         * @param value in [0, 1)
         * @return this builder
         */
        public Builder optWarmupProportion(double value) {
            warmupProportion = value;
            return custom();
        }

        /**
         * Sets AdamW's weight decay.
         *
         * @param value {@code >= 0}
         * @return this builder
         */
        public Builder optWeightDecay(double value) {
            weightDecay = value;
            return custom();
        }

        /**
         * Sets the global gradient-norm limit.
         *
         * @param value the limit, {@code <= 0} for none
         * @return this builder
         */
        public Builder optMaxGradNorm(double value) {
            maxGradNorm = value;
            return custom();
        }

        /**
         * Sets the KD temperature.
         *
         * @param value {@code > 0}
         * @return this builder
         */
        public Builder optTemperature(double value) {
            temperature = value;
            return custom();
        }

        /**
         * Sets the teacher layers the student starts from.
         *
         * @param value 0-based teacher layers, one per student layer, increasing
         * @return this builder
         */
        public Builder optStudentLayers(int... value) {
            studentLayers = value.clone();
            return custom();
        }

        /**
         * Sets the seed.
         *
         * @param value the seed
         * @return this builder
         */
        public Builder optSeed(long value) {
            seed = value;
            return custom();
        }

        /**
         * Sets whether the teacher's outputs are cached during distillation.
         *
         * @param value true to cache
         * @return this builder
         */
        public Builder optCacheTeacherOutputs(boolean value) {
            cacheTeacherOutputs = value;
            return custom();
        }

        /**
         * Sets how many test emails are timed at batch size 1.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder optTimingExamples(int value) {
            timingExamples = value;
            return custom();
        }

        /**
         * Validates and builds.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the first invalid field
         */
        public QuickstartSettings build() {
            check(trainExamples >= 0, "train_examples", trainExamples, "must be >= 0 (0 = the whole split)");
            check(devExamples >= 0, "dev_examples", devExamples, "must be >= 0 (0 = the whole split)");
            check(testExamples >= 0, "test_examples", testExamples, "must be >= 0 (0 = the whole split)");
            check(maxLength >= 8 && maxLength <= 512, "max_length", maxLength, "must be in 8..512");
            check(batchSize >= 1, "batch_size", batchSize, "must be >= 1");
            check(trainExamples == 0 || trainExamples >= batchSize, "train_examples", trainExamples,
                    "must be at least batch_size (" + batchSize + ")");
            check(teacherEpochs >= 1, "teacher_epochs", teacherEpochs, "must be >= 1");
            check(studentEpochs >= 1, "student_epochs", studentEpochs, "must be >= 1");
            check(teacherLearningRate > 0, "teacher_learning_rate", teacherLearningRate, "must be > 0");
            check(studentLearningRate > 0, "student_learning_rate", studentLearningRate, "must be > 0");
            check(warmupProportion >= 0 && warmupProportion < 1, "warmup_proportion", warmupProportion,
                    "must be in [0, 1)");
            check(weightDecay >= 0, "weight_decay", weightDecay, "must be >= 0");
            check(temperature > 0, "temperature", temperature, "must be > 0");
            check(studentLayers.length >= 1, "student_layers", Arrays.toString(studentLayers),
                    "must name at least one teacher layer");
            for (int i = 0; i < studentLayers.length; i++) {
                check(studentLayers[i] >= 0 && (i == 0 || studentLayers[i] > studentLayers[i - 1]), "student_layers",
                        Arrays.toString(studentLayers), "must be increasing 0-based teacher layers");
            }
            check(timingExamples >= 1, "timing_examples", timingExamples, "must be >= 1");
            return new QuickstartSettings(this);
        }

        private static void check(boolean ok, String field, Object value, String rule) {
            if (!ok) {
                throw new IllegalArgumentException("quickstart." + field + " = " + value + ": " + rule);
            }
        }
    }
}
