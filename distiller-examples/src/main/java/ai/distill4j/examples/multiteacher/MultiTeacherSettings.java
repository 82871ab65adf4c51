package ai.distill4j.examples.multiteacher;

import ai.distill4j.examples.settings.SettingChecks;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings of the {@link MultiTeacherExample}: the teachers' seeds and fine-tuning budget, the student's layers
 * and distillation budget. Immutable; {@link #builder()} holds the documented defaults, {@link #smoke()} a few
 * batches for CI.
 *
 * @since 0.1.0
 */
public final class MultiTeacherSettings {

    private final Path workDir;
    private final Path baseDir;
    private final long[] teacherSeeds;
    private final TeacherBudget teacherBudget;
    private final int[] studentLayers;
    private final int studentTexts;
    private final int studentEpochs;
    private final double studentLearningRate;
    private final double temperature;
    private final int testLimit;
    private final long seed;

    private MultiTeacherSettings(Builder b) {
        this.workDir = b.workDir;
        this.baseDir = b.baseDir;
        this.teacherSeeds = b.teacherSeeds.clone();
        this.teacherBudget = b.teacherBudget;
        this.studentLayers = b.studentLayers.clone();
        this.studentTexts = b.studentTexts;
        this.studentEpochs = b.studentEpochs;
        this.studentLearningRate = b.studentLearningRate;
        this.temperature = b.temperature;
        this.testLimit = b.testLimit;
        this.seed = b.seed;
    }

    /**
     * The documented run: three teachers (seeds 1, 2, 3), each fine-tuned on 640 training emails in batches of 16
     * cut at 48 tokens, AdamW at 1e-4; a 2-layer student (base layers 1 and 4) distilled on 640 other emails for 2
     * epochs at 2e-4 with temperature 4 and cached teacher logits; the whole test split.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The smoke run: two teachers on 16 emails in batches of 8 cut at 32 tokens, the student on 16 emails for one
     * epoch, 64 test emails.
     *
     * @return a builder
     */
    public static Builder smoke() {
        return new Builder().teacherSeeds(1, 2).teacherBudget(new TeacherBudget(16, 8, 32, 1e-4)).studentTexts(16)
                .studentEpochs(1).testLimit(64);
    }

    /** @return the folder holding the base model, the teacher cache and the runs */
    public Path workDir() {
        return workDir;
    }

    /** @return the base model's folder, or {@code null} for the bundled all-MiniLM-L6-v2 */
    public Path baseDir() {
        return baseDir;
    }

    /** @return one seed per teacher */
    public long[] teacherSeeds() {
        return teacherSeeds.clone();
    }

    /** @return how each teacher is fine-tuned */
    public TeacherBudget teacherBudget() {
        return teacherBudget;
    }

    /** @return the 0-based base-model layers the student starts from */
    public int[] studentLayers() {
        return studentLayers.clone();
    }

    /** @return training emails of the student */
    public int studentTexts() {
        return studentTexts;
    }

    /** @return the student's epochs (teacher logits are computed in the first and cached) */
    public int studentEpochs() {
        return studentEpochs;
    }

    /** @return the student's peak learning rate */
    public double studentLearningRate() {
        return studentLearningRate;
    }

    /** @return the KD temperature */
    public double temperature() {
        return temperature;
    }

    /** @return how many test emails are scored, 0 for all */
    public int testLimit() {
        return testLimit;
    }

    /** @return the seed of the student's data and dropout */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "teachers=%s teacher_budget=%s student_layers=%s student_texts=%d "
                        + "student_epochs=%d student_lr=%s temperature=%s test=%s seed=%d",
                Arrays.toString(teacherSeeds), teacherBudget.label(), Arrays.toString(studentLayers), studentTexts,
                studentEpochs, studentLearningRate, temperature, testLimit <= 0 ? "all" : testLimit, seed);
    }

    /**
     * Collects the settings.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private Path workDir = Path.of("runs", "examples");
        private Path baseDir;
        private long[] teacherSeeds = {1, 2, 3};
        private TeacherBudget teacherBudget = new TeacherBudget(640, 16, 48, 1e-4);
        private int[] studentLayers = {1, 4};
        private int studentTexts = 640;
        private int studentEpochs = 2;
        private double studentLearningRate = 2e-4;
        private double temperature = 4;
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
         * @param v the base model's folder, or {@code null} for the bundled all-MiniLM-L6-v2
         * @return this builder
         */
        public Builder baseDir(Path v) {
            baseDir = v;
            return this;
        }

        /**
         * @param v one distinct seed per teacher, at least one
         * @return this builder
         */
        public Builder teacherSeeds(long... v) {
            if (v.length == 0) {
                throw new IllegalArgumentException("teacher_seeds = []: name at least one teacher seed");
            }
            if (Arrays.stream(v).distinct().count() != v.length) {
                throw new IllegalArgumentException("teacher_seeds = " + Arrays.toString(v) + ": seeds must differ");
            }
            teacherSeeds = v.clone();
            return this;
        }

        /**
         * @param v the teachers' fine-tuning budget
         * @return this builder
         */
        public Builder teacherBudget(TeacherBudget v) {
            teacherBudget = Objects.requireNonNull(v, "teacherBudget");
            return this;
        }

        /**
         * @param v 0-based base-model layers, at least one
         * @return this builder
         */
        public Builder studentLayers(int... v) {
            if (v.length == 0) {
                throw new IllegalArgumentException("student_layers = []: the student needs at least one layer");
            }
            studentLayers = v.clone();
            return this;
        }

        /**
         * @param v the student's training emails, at least one batch
         * @return this builder
         */
        public Builder studentTexts(int v) {
            studentTexts = SettingChecks.atLeastOne("student_texts", v);
            return this;
        }

        /**
         * @param v the student's epochs, at least 1
         * @return this builder
         */
        public Builder studentEpochs(int v) {
            studentEpochs = SettingChecks.atLeastOne("student_epochs", v);
            return this;
        }

        /**
         * @param v the student's learning rate, &gt; 0
         * @return this builder
         */
        public Builder studentLearningRate(double v) {
            studentLearningRate = SettingChecks.positiveFinite("student_learning_rate", v);
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
         * @param v test emails to score, 0 for all
         * @return this builder
         */
        public Builder testLimit(int v) {
            testLimit = SettingChecks.limit("test_limit", v);
            return this;
        }

        /**
         * @param v the student's seed
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
        public MultiTeacherSettings build() {
            SettingChecks.fillsOneBatch("student_texts", studentTexts, teacherBudget.batchSize());
            return new MultiTeacherSettings(this);
        }
    }
}
