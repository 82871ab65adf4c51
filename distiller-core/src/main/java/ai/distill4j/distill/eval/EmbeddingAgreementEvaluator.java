package ai.distill4j.distill.eval;

import ai.distill4j.distill.DistillModel;
import ai.distill4j.distill.callback.EvaluationCallback;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.text.TokenizedBatch;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How closely a student's sentence vectors agree with the teacher's on held-out texts. With {@code t_i} and
 * {@code s_i} the teacher's and student's vectors of text {@code i} (n texts, n >= 3):
 *
 * <ul>
 *   <li>{@code mean_cosine}: {@code (1/n) Σ_i cos(t_i, s_i)}; only when both have the same width (otherwise the
 *       key is absent: vectors of different spaces cannot be compared one to one).
 *   <li>{@code spearman}: Spearman's rank correlation between the teacher's and the student's cosine similarities
 *       over all pairs {@code i < j} (ties ranked by their average, commons-math3 {@code SpearmansCorrelation}); 1
 *       when the student orders every pair of texts as the teacher does. NaN when either side's similarities are all
 *       equal.
 *   <li>{@code top1_agreement}: the fraction of texts whose nearest neighbour (highest cosine, itself excluded) is
 *       the same text for teacher and student.
 *   <li>{@code top10_agreement}: the mean overlap of the ten nearest neighbours, {@code |N10_T(i) ∩ N10_S(i)| / 10}
 *       (with fewer than 11 texts, k = n - 1).
 * </ul>
 *
 * <p>Cosines are computed on the host in double precision; equal similarities are ordered by text index. The cost
 * is {@code O(n² · width)} time and {@code O(n²)} memory: a few thousand texts are fine.
 *
 * <p>Standalone: {@link #compare(float[][], float[][])} on vectors, or {@link #evaluate(SentenceEncoder)} on a
 * student encoder. During training it is the run's {@link EvaluationCallback}: the teacher's vectors are computed
 * once when the evaluator is built, the student's at every evaluation, through the encoder the builder's
 * {@code student(...)} gives (an encoder over the very {@code BertModel} being trained sees its current weights).
 *
 * <pre>{@code
 * EmbeddingAgreementEvaluator eval = EmbeddingAgreementEvaluator.builder()
 *         .texts(heldOutSentences)
 *         .teacher(teacherEncoder)            // or .teacherVectors(float[][])
 *         .student(studentEncoder)            // the encoder over the student model being trained
 *         .build();
 * Evaluation evaluation = Evaluation.of(eval, EmbeddingAgreementEvaluator.SPEARMAN, ...);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class EmbeddingAgreementEvaluator implements EvaluationCallback {

    /** The mean teacher-student cosine of the same text. */
    public static final String MEAN_COSINE = "mean_cosine";
    /** Spearman correlation of the pairwise cosine similarities. */
    public static final String SPEARMAN = "spearman";
    /** Agreement of the nearest neighbour. */
    public static final String TOP1_AGREEMENT = "top1_agreement";
    /** Overlap of the ten nearest neighbours. */
    public static final String TOP10_AGREEMENT = "top10_agreement";

    private final HeldOutInputs inputs;
    private final float[][] teacherVectors;
    private final TrainedStudent student;

    private EmbeddingAgreementEvaluator(Builder b, float[][] teacherVectors) {
        this.inputs = b.inputs;
        this.teacherVectors = teacherVectors;
        this.student = b.student;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Compares two sets of sentence vectors of the same texts (see the class description for the metrics).
     *
     * @param teacher the teacher's vectors, {@code [n][D_T]}
     * @param student the student's vectors, {@code [n][D_S]}
     * @return {@code mean_cosine} (equal widths only), {@code spearman}, {@code top1_agreement},
     *     {@code top10_agreement}
     * @throws IllegalArgumentException when the counts differ, n &lt; 3, rows are ragged or hold non-finite values
     */
    public static Map<String, Double> compare(float[][] teacher, float[][] student) {
        UnitVectors t = UnitVectors.of(teacher, "teacher vectors");
        UnitVectors s = UnitVectors.of(student, "student vectors");
        int n = t.size();
        if (s.size() != n) {
            throw new IllegalArgumentException("teacher has " + n + " vectors but student has " + s.size()
                    + "; both must embed the same texts");
        }
        if (n < 3) {
            throw new IllegalArgumentException("embedding agreement needs at least 3 texts, got " + n);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (t.width() == s.width()) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += t.cosine(i, s, i);
            }
            out.put(MEAN_COSINE, sum / n);
        }
        double[][] ts = t.cosines(t);
        double[][] ss = s.cosines(s);
        int pairs = n * (n - 1) / 2;
        double[] tp = new double[pairs];
        double[] sp = new double[pairs];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                tp[p] = ts[i][j];
                sp[p] = ss[i][j];
                p++;
            }
        }
        out.put(SPEARMAN, new SpearmansCorrelation().correlation(tp, sp));
        out.put(TOP1_AGREEMENT, neighbourOverlap(ts, ss, 1));
        out.put(TOP10_AGREEMENT, neighbourOverlap(ts, ss, 10));
        return out;
    }

    /** Mean over texts of |top-k(teacher) ∩ top-k(student)| / k, with k = min(k, n - 1). */
    private static double neighbourOverlap(double[][] teacher, double[][] student, int k) {
        int n = teacher.length;
        int kk = Math.min(k, n - 1);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int[] a = Rankings.top(teacher[i], kk, i);
            int[] b = Rankings.top(student[i], kk, i);
            Set<Integer> set = new HashSet<>();
            for (int x : a) {
                set.add(x);
            }
            int common = 0;
            for (int x : b) {
                if (set.contains(x)) {
                    common++;
                }
            }
            sum += (double) common / kk;
        }
        return sum / n;
    }

    /**
     * Returns the teacher's vectors of the held-out texts.
     *
     * @return a copy, {@code [n][D_T]}
     */
    public float[][] teacherVectors() {
        float[][] c = new float[teacherVectors.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = teacherVectors[i].clone();
        }
        return c;
    }

    /**
     * Returns the number of held-out texts.
     *
     * @return n
     */
    public int size() {
        return teacherVectors.length;
    }

    /**
     * Embeds the held-out texts with a student encoder and compares them with the teacher's vectors.
     *
     * @param studentEncoder the student's encoder
     * @return the metrics of {@link #compare(float[][], float[][])}
     */
    public Map<String, Double> evaluate(SentenceEncoder studentEncoder) {
        Objects.requireNonNull(studentEncoder, "studentEncoder");
        return compare(teacherVectors, inputs.embed(studentEncoder));
    }

    /**
     * Evaluates the student being trained (the engine's evaluation callback): gets its encoder from the builder's
     * {@code student(...)} and compares.
     *
     * @param studentModel the student as the engine runs it
     * @param step the global optimizer step
     * @return the metrics of {@link #compare(float[][], float[][])}
     * @throws IllegalStateException when the evaluator was built without {@code student(...)}
     */
    @Override
    public Map<String, Double> evaluate(DistillModel<?, ?> studentModel, int step) {
        return evaluate(TrainedStudent.encoder(student, studentModel, "EmbeddingAgreementEvaluator", "held-out texts"));
    }

    /**
     * Builder of {@link EmbeddingAgreementEvaluator}: held-out texts (or tokens), the teacher (an encoder or its
     * vectors), and optionally how to get the student's encoder during training.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private HeldOutInputs inputs;
        private SentenceEncoder teacher;
        private float[][] teacherVectors;
        private TrainedStudent student;

        private Builder() {}

        /**
         * Sets the held-out texts; each encoder tokenizes them with its own tokenizer.
         *
         * @param v the texts, at least 3
         * @return this builder
         */
        public Builder texts(List<String> v) {
            inputs = HeldOutInputs.ofTexts(v, "held-out texts");
            return this;
        }

        /**
         * Sets held-out texts already tokenized (teacher and student must then share the vocabulary).
         *
         * @param v the tokens, at least 3 rows
         * @return this builder
         */
        public Builder tokens(TokenizedBatch v) {
            inputs = HeldOutInputs.ofTokens(v, "held-out tokens");
            return this;
        }

        /**
         * Sets the teacher's encoder; the teacher's vectors are computed once, in {@link #build()}.
         *
         * @param v the encoder
         * @return this builder
         */
        public Builder teacher(SentenceEncoder v) {
            teacher = Objects.requireNonNull(v, "teacher");
            teacherVectors = null;
            return this;
        }

        /**
         * Sets the teacher's vectors of the held-out texts, computed elsewhere (e.g. cached).
         *
         * @param v one vector per held-out text, in order
         * @return this builder
         */
        public Builder teacherVectors(float[][] v) {
            Objects.requireNonNull(v, "teacherVectors");
            teacherVectors = new float[v.length][];
            for (int i = 0; i < v.length; i++) {
                teacherVectors[i] = Objects.requireNonNull(v[i], "teacher vector " + i).clone();
            }
            teacher = null;
            return this;
        }

        /**
         * Sets the student's encoder used by the evaluation callback. It should wrap the very {@code BertModel}
         * being trained (the optimizer updates it in place, so every evaluation sees the current weights).
         *
         * @param v the encoder
         * @return this builder
         */
        public Builder student(SentenceEncoder v) {
            student = TrainedStudent.of(v);
            return this;
        }

        /**
         * Sets how the evaluation callback gets an encoder for the student the engine passes.
         *
         * @param v from the engine's student to its encoder
         * @return this builder
         */
        public Builder student(Function<DistillModel<?, ?>, SentenceEncoder> v) {
            student = TrainedStudent.of(v);
            return this;
        }

        /**
         * Validates, and embeds the held-out texts with the teacher when a teacher encoder was given.
         *
         * @return the evaluator
         * @throws IllegalStateException when the held-out inputs or the teacher are missing
         * @throws IllegalArgumentException when the teacher's vectors do not match the held-out inputs
         */
        public EmbeddingAgreementEvaluator build() {
            if (inputs == null) {
                throw new IllegalStateException("EmbeddingAgreementEvaluator needs held-out texts(...) or tokens(...)");
            }
            if (inputs.size() < 3) {
                throw new IllegalArgumentException("embedding agreement needs at least 3 held-out texts, got "
                        + inputs.size());
            }
            float[][] t;
            if (teacher != null) {
                t = inputs.embed(teacher);
            } else if (teacherVectors != null) {
                t = teacherVectors;
            } else {
                throw new IllegalStateException("EmbeddingAgreementEvaluator needs teacher(...) or teacherVectors(...)");
            }
            if (t.length != inputs.size()) {
                throw new IllegalArgumentException("teacherVectors has " + t.length + " rows but there are "
                        + inputs.size() + " held-out texts");
            }
            UnitVectors.of(t, "teacher vectors");
            return new EmbeddingAgreementEvaluator(this, t);
        }
    }
}
