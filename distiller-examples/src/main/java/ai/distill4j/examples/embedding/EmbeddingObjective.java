package ai.distill4j.examples.embedding;

import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.Projection;
import ai.distill4j.loss.LossArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training objectives the embedding example compares. Each is a list of intermediate matches on the BERT
 * adaptor's features: {@code sentence} (the mean-pooled last hidden state, one entry) and {@code hidden} (the
 * embedding output and every layer's output).
 *
 * <ul>
 *   <li>{@link #MSE}: {@code embedding_mse} on the sentence vectors (Sentence-Transformers' MSE distillation);
 *   <li>{@link #MSE_SIMILARITY}: plus {@code similarity_matrix}, MSE between the in-batch cosine-similarity matrices;
 *   <li>{@link #MSE_CONTRASTIVE}: plus {@code contrastive}, in-batch InfoNCE with the teacher's vector of the same
 *       text as the positive ({@value #CONTRASTIVE_TEMPERATURE} temperature);
 *   <li>{@link #MSE_CKD}: plus the CKD relation losses {@code wr_dist} (token-to-token relations within each layer)
 *       and {@code ltr_angle} (how each token moves across layers) on the aligned hidden states;
 *   <li>{@link #FULL}: {@link #MSE_CKD} plus {@code hidden_mse} on every aligned hidden state.
 * </ul>
 *
 * <p>Widths: when the student is narrower than the teacher, {@code embedding_mse}, {@code contrastive} (student
 * vector i against teacher vector j) and {@code hidden_mse} get a {@code linear} projection from the student's width
 * to the teacher's, one per match; the relation and similarity losses compare each model's own cosines and need
 * none.
 *
 * @since 0.1.0
 */
public enum EmbeddingObjective {
    /** {@code embedding_mse} alone. */
    MSE("mse"),
    /** {@code embedding_mse} + {@code similarity_matrix}. */
    MSE_SIMILARITY("mse+similarity"),
    /** {@code embedding_mse} + {@code contrastive}. */
    MSE_CONTRASTIVE("mse+contrastive"),
    /** {@code embedding_mse} + {@code wr_dist} + {@code ltr_angle}. */
    MSE_CKD("mse+ckd"),
    /** {@code embedding_mse} + {@code hidden_mse} on each aligned layer + {@code wr_dist} + {@code ltr_angle}. */
    FULL("full");

    /** The temperature of the contrastive term. */
    public static final double CONTRASTIVE_TEMPERATURE = 0.05;

    /**
     * The weights of the terms, by loss name (the same in every objective that uses the term). They bring each term
     * to roughly the size of {@code embedding_mse} at the start of training on all-MiniLM-L6-v2 (measured: about
     * 0.03 for {@code embedding_mse}, 0.01 for {@code similarity_matrix} and {@code contrastive}, 1.5e-4 for
     * {@code wr_dist}, 0.007 for {@code ltr_angle}, 0.03 to 0.24 per layer for {@code hidden_mse}).
     */
    public static final Map<String, Double> WEIGHTS = Map.of(
            "embedding_mse", 1.0,
            "similarity_matrix", 1.0,
            "contrastive", 1.0,
            "wr_dist", 100.0,
            "ltr_angle", 1.0,
            "hidden_mse", 0.1);

    private final String label;

    EmbeddingObjective(String label) {
        this.label = label;
    }

    /**
     * Returns the name used on the command line and in reports.
     *
     * @return e.g. {@code mse+ckd}
     */
    public String label() {
        return label;
    }

    /**
     * Finds an objective by its label (case-insensitive).
     *
     * @param text a label such as {@code mse+contrastive}
     * @return the objective
     * @throws IllegalArgumentException for an unknown label
     */
    public static EmbeddingObjective parse(String text) {
        for (EmbeddingObjective o : values()) {
            if (o.label.equalsIgnoreCase(text.trim()) || o.name().equalsIgnoreCase(text.trim())) {
                return o;
            }
        }
        List<String> known = new ArrayList<>();
        for (EmbeddingObjective o : values()) {
            known.add(o.label);
        }
        throw new IllegalArgumentException("objective = " + text + ": must be one of " + known);
    }

    /**
     * Builds the matches of this objective.
     *
     * @param teacherHidden the teacher's {@code hidden} indices aligned with {@code studentHidden}
     * @param studentHidden the student's {@code hidden} indices, {@code 0..L_S}
     * @param studentWidth the student's hidden size
     * @param teacherWidth the teacher's hidden size
     * @return the matches, in a stable order
     */
    public List<IntermediateMatch> matches(List<Integer> teacherHidden, List<Integer> studentHidden, int studentWidth,
            int teacherWidth) {
        if (teacherHidden.size() != studentHidden.size()) {
            throw new IllegalArgumentException("teacherHidden has " + teacherHidden.size() + " entries, studentHidden "
                    + studentHidden.size());
        }
        Projection proj = studentWidth == teacherWidth ? null
                : new Projection("linear", studentWidth, teacherWidth, Map.of());
        List<IntermediateMatch> out = new ArrayList<>();
        out.add(match(0, 0, "sentence", "embedding_mse", proj, LossArgs.EMPTY));
        switch (this) {
            case MSE_SIMILARITY ->
                    out.add(match(0, 0, "sentence", "similarity_matrix", null, LossArgs.EMPTY));
            case MSE_CONTRASTIVE -> out.add(match(0, 0, "sentence", "contrastive", proj,
                    LossArgs.of("temperature", CONTRASTIVE_TEMPERATURE)));
            case MSE_CKD -> out.addAll(relations(teacherHidden, studentHidden));
            case FULL -> {
                for (int k = 0; k < studentHidden.size(); k++) {
                    out.add(match(teacherHidden.get(k), studentHidden.get(k), "hidden", "hidden_mse", proj,
                            LossArgs.EMPTY));
                }
                out.addAll(relations(teacherHidden, studentHidden));
            }
            default -> { }
        }
        return out;
    }

    private static List<IntermediateMatch> relations(List<Integer> teacherHidden, List<Integer> studentHidden) {
        List<IntermediateMatch> out = new ArrayList<>();
        for (String loss : List.of("wr_dist", "ltr_angle")) {
            out.add(IntermediateMatch.builder()
                    .setLayers(teacherHidden, studentHidden)
                    .setFeature("hidden")
                    .setLoss(loss)
                    .setWeight(WEIGHTS.get(loss))
                    .build());
        }
        return out;
    }

    private static IntermediateMatch match(int layerT, int layerS, String feature, String loss, Projection proj,
            LossArgs args) {
        IntermediateMatch.Builder b = IntermediateMatch.builder()
                .setLayers(layerT, layerS)
                .setFeature(feature)
                .setLoss(loss)
                .setWeight(WEIGHTS.get(loss))
                .optArgs(args);
        if (proj != null) {
            b.optProj(proj);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
