package ai.distill4j.examples.custom;

import ai.distill4j.examples.multiteacher.TeacherBudget;
import ai.distill4j.examples.settings.SettingChecks;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings of the {@link CustomModelExample}. Immutable; {@link #builder()} holds the documented defaults,
 * {@link #smoke()} a few batches for CI. The teacher's seed and budget default to those of the multi-teacher
 * example, so the two examples share the cached teacher.
 *
 * @since 0.1.0
 */
public final class CustomModelSettings {

    private final Path workDir;
    private final Path baseDir;
    private final long teacherSeed;
    private final TeacherBudget teacherBudget;
    private final int filters;
    private final int kernel;
    private final double dropout;
    private final boolean embeddingsFromTeacher;
    private final boolean freezeEmbeddings;
    private final int studentTexts;
    private final int epochs;
    private final double learningRate;
    private final double temperature;
    private final double hardLabelWeight;
    private final double sentenceWeight;
    private final boolean labelsOnlyBaseline;
    private final int testLimit;
    private final long seed;

    private CustomModelSettings(Builder b) {
        workDir = b.workDir;
        baseDir = b.baseDir;
        teacherSeed = b.teacherSeed;
        teacherBudget = b.teacherBudget;
        filters = b.filters;
        kernel = b.kernel;
        dropout = b.dropout;
        embeddingsFromTeacher = b.embeddingsFromTeacher;
        freezeEmbeddings = b.freezeEmbeddings;
        studentTexts = b.studentTexts;
        epochs = b.epochs;
        learningRate = b.learningRate;
        temperature = b.temperature;
        hardLabelWeight = b.hardLabelWeight;
        sentenceWeight = b.sentenceWeight;
        labelsOnlyBaseline = b.labelsOnlyBaseline;
        testLimit = b.testLimit;
        seed = b.seed;
    }

    /**
     * The documented run: the spam teacher of seed 1 (640 emails, batches of 16, 48 tokens, 1e-4); a convolutional
     * student with 256 filters 3 tokens wide over the teacher's (frozen) word embeddings, trained on 1,280 emails for
     * 3 epochs at 1e-3 with KD at temperature 4, no hard labels, and a {@code sentence} match (weight 1) to the
     * teacher's mean-pooled vector; plus the same student trained on the labels alone; the whole test split.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The smoke run: a teacher fine-tuned on 16 emails, a student with 64 filters trained on 16 emails for one
     * epoch, 64 test emails.
     *
     * @return a builder
     */
    public static Builder smoke() {
        return new Builder().teacherBudget(new TeacherBudget(16, 8, 32, 1e-4)).filters(64).studentTexts(16).epochs(1)
                .testLimit(64);
    }

    /** @return the work folder */
    public Path workDir() {
        return workDir;
    }

    /** @return the base model's folder, or {@code null} for the bundled all-MiniLM-L6-v2 */
    public Path baseDir() {
        return baseDir;
    }

    /** @return the teacher's seed */
    public long teacherSeed() {
        return teacherSeed;
    }

    /** @return the teacher's fine-tuning budget */
    public TeacherBudget teacherBudget() {
        return teacherBudget;
    }

    /** @return the convolution's channels */
    public int filters() {
        return filters;
    }

    /** @return the convolution's width in tokens */
    public int kernel() {
        return kernel;
    }

    /** @return the dropout on the pooled vector */
    public double dropout() {
        return dropout;
    }

    /** @return whether the token table starts as the teacher's word embeddings (else random, width 128) */
    public boolean embeddingsFromTeacher() {
        return embeddingsFromTeacher;
    }

    /** @return whether the token table stays frozen */
    public boolean freezeEmbeddings() {
        return freezeEmbeddings;
    }

    /** @return the student's training emails */
    public int studentTexts() {
        return studentTexts;
    }

    /** @return the student's epochs */
    public int epochs() {
        return epochs;
    }

    /** @return the student's peak learning rate */
    public double learningRate() {
        return learningRate;
    }

    /** @return the KD temperature */
    public double temperature() {
        return temperature;
    }

    /** @return the weight of the hard-label cross-entropy in distillation */
    public double hardLabelWeight() {
        return hardLabelWeight;
    }

    /** @return the weight of the {@code sentence} match, 0 for none */
    public double sentenceWeight() {
        return sentenceWeight;
    }

    /** @return whether to also train the student on the labels alone, for comparison */
    public boolean labelsOnlyBaseline() {
        return labelsOnlyBaseline;
    }

    /** @return test emails to score, 0 for all */
    public int testLimit() {
        return testLimit;
    }

    /** @return the student's seed */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "teacher_seed=%d teacher_budget=%s filters=%d kernel=%d dropout=%s "
                        + "embeddings=%s%s student_texts=%d epochs=%d lr=%s temperature=%s hard_label_weight=%s "
                        + "sentence_weight=%s test=%s seed=%d",
                teacherSeed, teacherBudget.label(), filters, kernel, dropout,
                embeddingsFromTeacher ? "teacher" : "random", freezeEmbeddings ? " (frozen)" : "", studentTexts,
                epochs, learningRate, temperature, hardLabelWeight, sentenceWeight,
                testLimit <= 0 ? "all" : testLimit, seed);
    }

    /**
     * Collects the settings.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private Path workDir = Path.of("runs", "examples");
        private Path baseDir;
        private long teacherSeed = 1;
        private TeacherBudget teacherBudget = new TeacherBudget(640, 16, 48, 1e-4);
        private int filters = 256;
        private int kernel = 3;
        private double dropout = 0.1;
        private boolean embeddingsFromTeacher = true;
        private boolean freezeEmbeddings = true;
        private int studentTexts = 1280;
        private int epochs = 3;
        private double learningRate = 1e-3;
        private double temperature = 4;
        private double hardLabelWeight;
        private double sentenceWeight = 1;
        private boolean labelsOnlyBaseline = true;
        private int testLimit;
        private long seed = 42;

        private Builder() {}

        /**
         * @param v the work folder
         * @return this builder
         */
        public Builder workDir(Path v) {
            workDir = Objects.requireNonNull(v, "workDir");
            return this;
        }

        /**
         * @param v the base model's folder, or {@code null}
         * @return this builder
         */
        public Builder baseDir(Path v) {
            baseDir = v;
            return this;
        }

        /**
         * @param v the teacher's seed
         * @return this builder
         */
        public Builder teacherSeed(long v) {
            teacherSeed = v;
            return this;
        }

        /**
         * @param v the teacher's budget
         * @return this builder
         */
        public Builder teacherBudget(TeacherBudget v) {
            teacherBudget = Objects.requireNonNull(v, "teacherBudget");
            return this;
        }

        /**
         * @param v the convolution's channels, &gt; 0
         * @return this builder
         */
        public Builder filters(int v) {
            filters = SettingChecks.atLeastOne("filters", v);
            return this;
        }

        /**
         * @param v the convolution's width, odd
         * @return this builder
         */
        public Builder kernel(int v) {
            if (v < 1 || v % 2 == 0) {
                throw new IllegalArgumentException("kernel = " + v + ": must be odd and > 0");
            }
            kernel = v;
            return this;
        }

        /**
         * @param v the dropout rate, in [0, 1)
         * @return this builder
         */
        public Builder dropout(double v) {
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException("dropout = " + v + ": must be in [0, 1)");
            }
            dropout = v;
            return this;
        }

        /**
         * @param v whether the token table starts from the teacher's word embeddings
         * @return this builder
         */
        public Builder embeddingsFromTeacher(boolean v) {
            embeddingsFromTeacher = v;
            return this;
        }

        /**
         * @param v whether the token table stays frozen
         * @return this builder
         */
        public Builder freezeEmbeddings(boolean v) {
            freezeEmbeddings = v;
            return this;
        }

        /**
         * @param v the student's training emails, &gt; 0
         * @return this builder
         */
        public Builder studentTexts(int v) {
            studentTexts = SettingChecks.atLeastOne("student_texts", v);
            return this;
        }

        /**
         * @param v the student's epochs, &gt; 0
         * @return this builder
         */
        public Builder epochs(int v) {
            epochs = SettingChecks.atLeastOne("epochs", v);
            return this;
        }

        /**
         * @param v the learning rate, &gt; 0
         * @return this builder
         */
        public Builder learningRate(double v) {
            learningRate = SettingChecks.positiveFinite("learning_rate", v);
            return this;
        }

        /**
         * @param v the KD temperature, &gt; 0
         * @return this builder
         */
        public Builder temperature(double v) {
            temperature = SettingChecks.positiveFinite("temperature", v);
            return this;
        }

        /**
         * @param v the hard-label weight, &gt;= 0
         * @return this builder
         */
        public Builder hardLabelWeight(double v) {
            hardLabelWeight = SettingChecks.nonNegativeFinite("hard_label_weight", v);
            return this;
        }

        /**
         * @param v the sentence-match weight, &gt;= 0 (0 = no match)
         * @return this builder
         */
        public Builder sentenceWeight(double v) {
            sentenceWeight = SettingChecks.nonNegativeFinite("sentence_weight", v);
            return this;
        }

        /**
         * @param v whether to train the labels-only baseline too
         * @return this builder
         */
        public Builder labelsOnlyBaseline(boolean v) {
            labelsOnlyBaseline = v;
            return this;
        }

        /**
         * @param v test emails to score, 0 for all
         * @return this builder
         */
        public Builder testLimit(int v) {
            testLimit = SettingChecks.limit("test_limit", v);
            return this;
        }

        /**
         * @param v the seed
         * @return this builder
         */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * Builds.
         *
         * @return the settings
         * @throws IllegalArgumentException when the student has fewer texts than one batch
         */
        public CustomModelSettings build() {
            SettingChecks.fillsOneBatch("student_texts", studentTexts, teacherBudget.batchSize());
            return new CustomModelSettings(this);
        }
    }
}
