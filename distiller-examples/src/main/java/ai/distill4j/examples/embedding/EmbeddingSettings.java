package ai.distill4j.examples.embedding;

import ai.distill4j.examples.settings.SettingChecks;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one run of the {@link EmbeddingExample}: which teacher, which student, which objectives, and the
 * budget. Immutable; built with {@link #builder()}, whose defaults are the documented run, or {@link #smoke()}, a
 * few batches for CI.
 *
 * @since 0.1.0
 */
public final class EmbeddingSettings {

    /** The shape of the student. */
    public enum StudentKind {
        /** The teacher's width, the teacher layers {@link EmbeddingSettings#layers()} copied. */
        LAYERS,
        /** A narrower student ({@link EmbeddingSettings#narrowHidden()}) truncated from the same teacher layers. */
        NARROW
    }

    private final Path workDir;
    private final Path teacherDir;
    private final StudentKind student;
    private final int[] layers;
    private final int narrowHidden;
    private final List<EmbeddingObjective> objectives;
    private final int trainTexts;
    private final int batchSize;
    private final int maxLength;
    private final int evalMaxLength;
    private final double learningRate;
    private final int heldOut;
    private final int retrievalQueries;
    private final boolean freezeWordEmbeddings;
    private final long seed;

    private EmbeddingSettings(Builder b) {
        this.workDir = b.workDir;
        this.teacherDir = b.teacherDir;
        this.student = b.student;
        this.layers = b.layers.clone();
        this.narrowHidden = b.narrowHidden;
        this.objectives = List.copyOf(b.objectives);
        this.trainTexts = b.trainTexts;
        this.batchSize = b.batchSize;
        this.maxLength = b.maxLength;
        this.evalMaxLength = b.evalMaxLength;
        this.learningRate = b.learningRate;
        this.heldOut = b.heldOut;
        this.retrievalQueries = b.retrievalQueries;
        this.freezeWordEmbeddings = b.freezeWordEmbeddings;
        this.seed = b.seed;
    }

    /**
     * Starts from the defaults of the documented run: the 3-layer student (teacher layers 1, 3, 5), the {@code full}
     * objective, 1,600 training texts in batches of 16 (100 optimizer steps) cut at 64 tokens, AdamW at 1e-4,
     * 400 held-out sentences, 300 retrieval queries, seed 42, work folder {@code runs/examples}.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts from the smoke settings: 24 training texts in batches of 8 (3 steps) cut at 32 tokens, evaluation
     * cut at 48 tokens, 24 held-out sentences, 24 retrieval queries; well under a minute on an idle machine.
     *
     * @return a builder
     */
    public static Builder smoke() {
        return new Builder().trainTexts(24).batchSize(8).maxLength(32).evalMaxLength(48).heldOut(24)
                .retrievalQueries(24);
    }

    /** @return the folder that holds the teacher cache and the runs */
    public Path workDir() {
        return workDir;
    }

    /** @return the teacher's HuggingFace folder, or {@code null} to import the bundled all-MiniLM-L6-v2 */
    public Path teacherDir() {
        return teacherDir;
    }

    /** @return the student's shape */
    public StudentKind student() {
        return student;
    }

    /** @return the 0-based teacher layers the student's layers start from */
    public int[] layers() {
        return layers.clone();
    }

    /** @return the narrow student's hidden size */
    public int narrowHidden() {
        return narrowHidden;
    }

    /** @return the objectives to train, one student each, in order */
    public List<EmbeddingObjective> objectives() {
        return objectives;
    }

    /** @return how many unlabeled texts one run trains on (one epoch) */
    public int trainTexts() {
        return trainTexts;
    }

    /** @return rows per training batch */
    public int batchSize() {
        return batchSize;
    }

    /** @return the truncation length of training texts, in tokens */
    public int maxLength() {
        return maxLength;
    }

    /** @return the truncation length for evaluation and for the saved model's {@code max_seq_length} */
    public int evalMaxLength() {
        return evalMaxLength;
    }

    /** @return AdamW's peak learning rate */
    public double learningRate() {
        return learningRate;
    }

    /** @return how many held-out sentences the agreement metrics use */
    public int heldOut() {
        return heldOut;
    }

    /** @return the most retrieval queries (test emails) to use */
    public int retrievalQueries() {
        return retrievalQueries;
    }

    /** @return whether the student's word embeddings stay as copied (saves a third of the optimizer's work) */
    public boolean freezeWordEmbeddings() {
        return freezeWordEmbeddings;
    }

    /** @return the seed of data order, dropout and projections */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "student=" + student.name().toLowerCase(java.util.Locale.ROOT) + " layers=" + Arrays.toString(layers)
                + (student == StudentKind.NARROW ? " hidden=" + narrowHidden : "") + " objectives=" + objectives
                + " train_texts=" + trainTexts + " batch=" + batchSize + " max_length=" + maxLength + " lr="
                + learningRate + " held_out=" + heldOut + " queries=" + retrievalQueries + " freeze_word_embeddings="
                + freezeWordEmbeddings + " seed=" + seed;
    }

    /**
     * Collects the settings.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private Path workDir = Path.of("runs", "examples");
        private Path teacherDir;
        private StudentKind student = StudentKind.LAYERS;
        private int[] layers = {1, 3, 5};
        private int narrowHidden = 256;
        private List<EmbeddingObjective> objectives = List.of(EmbeddingObjective.FULL);
        private int trainTexts = 1600;
        private int batchSize = 16;
        private int maxLength = 64;
        private int evalMaxLength = 128;
        private double learningRate = 1e-4;
        private int heldOut = 400;
        private int retrievalQueries = 300;
        private boolean freezeWordEmbeddings = true;
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
         * @param v a teacher folder, or {@code null} for the bundled all-MiniLM-L6-v2
         * @return this builder
         */
        public Builder teacherDir(Path v) {
            teacherDir = v;
            return this;
        }

        /**
         * @param v the student's shape
         * @return this builder
         */
        public Builder student(StudentKind v) {
            student = Objects.requireNonNull(v, "student");
            return this;
        }

        /**
         * @param v 0-based teacher layers, one per student layer
         * @return this builder
         */
        public Builder layers(int... v) {
            if (v.length == 0) {
                throw new IllegalArgumentException("layers = []: the student needs at least one layer");
            }
            layers = v.clone();
            return this;
        }

        /**
         * @param v the narrow student's hidden size
         * @return this builder
         */
        public Builder narrowHidden(int v) {
            narrowHidden = SettingChecks.atLeastOne("narrow_hidden", v);
            return this;
        }

        /**
         * @param v the objectives, at least one
         * @return this builder
         */
        public Builder objectives(List<EmbeddingObjective> v) {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("objectives = []: name at least one objective");
            }
            objectives = List.copyOf(v);
            return this;
        }

        /**
         * @param v unlabeled texts per run
         * @return this builder
         */
        public Builder trainTexts(int v) {
            trainTexts = SettingChecks.atLeastOne("train_texts", v);
            return this;
        }

        /**
         * @param v rows per batch
         * @return this builder
         */
        public Builder batchSize(int v) {
            batchSize = SettingChecks.atLeastOne("batch_size", v);
            return this;
        }

        /**
         * @param v training truncation length, at least 8
         * @return this builder
         */
        public Builder maxLength(int v) {
            maxLength = SettingChecks.atLeast("max_length", v, 8);
            return this;
        }

        /**
         * @param v evaluation truncation length, at least 8
         * @return this builder
         */
        public Builder evalMaxLength(int v) {
            evalMaxLength = SettingChecks.atLeast("eval_max_length", v, 8);
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
         * @param v held-out sentences, at least 12
         * @return this builder
         */
        public Builder heldOut(int v) {
            if (v < 12) {
                throw new IllegalArgumentException("held_out = " + v + ": must be >= 12 (top-10 neighbours)");
            }
            heldOut = v;
            return this;
        }

        /**
         * @param v retrieval queries, at least 2
         * @return this builder
         */
        public Builder retrievalQueries(int v) {
            retrievalQueries = SettingChecks.atLeast("retrieval_queries", v, 2);
            return this;
        }

        /**
         * @param v whether the word embeddings stay frozen
         * @return this builder
         */
        public Builder freezeWordEmbeddings(boolean v) {
            freezeWordEmbeddings = v;
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
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException when there are fewer training texts than one batch
         */
        public EmbeddingSettings build() {
            SettingChecks.fillsOneBatch("train_texts", trainTexts, batchSize);
            return new EmbeddingSettings(this);
        }
    }
}
