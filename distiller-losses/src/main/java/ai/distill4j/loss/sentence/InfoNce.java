package ai.distill4j.loss.sentence;

import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * In-batch contrastive loss (InfoNCE) between student and teacher sentence vectors ({@code contrastive}): each
 * student vector must be closer, in cosine, to the teacher vector of its own sentence than to the teacher vectors
 * of the other sentences of the batch.
 *
 * <pre>
 * z_ij = cos(s_i, t_j) / tau,  cos(a, b) = &lt;u(a), u(b)&gt;,  u(x) = x / max(|x|, 1e-12)
 * L_fwd = -(1/B) sum_i log softmax_j(z_ij)[j = i]
 * L_bwd = -(1/B) sum_j log softmax_i(z_ij)[i = j]
 * L = L_fwd, or (L_fwd + L_bwd) / 2 with symmetric
 * </pre>
 *
 * <ul>
 *   <li>Inputs: one {@code (B, D)} tensor per side; widths must match (project the student otherwise).
 *   <li>Arguments: {@code temperature} tau (default 0.05, i.e. sentence-transformers' scale 20), {@code symmetric}
 *       (default false; true averages both directions as MultipleNegativesSymmetricRankingLoss).
 *   <li>Mask: ignored. Reduction: mean over the B rows (and the two directions).
 *   <li>The teacher is a constant (no gradient). Scaling the student does not change the loss.
 * </ul>
 *
 * <pre>
 * van den Oord, Li, Vinyals. Representation Learning with Contrastive Predictive Coding. 2018.
 * Henderson et al. Efficient Natural Language Response Suggestion for Smart Reply. 2017 (in-batch negatives);
 * sentence-transformers MultipleNegativesRankingLoss / MultipleNegativesSymmetricRankingLoss.
 * </pre>
 *
 * @since 0.1.0
 */
public final class InfoNce implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "contrastive";

    /** The default temperature. */
    public static final double DEFAULT_TEMPERATURE = 0.05;

    private final double temperature;
    private final boolean symmetric;

    /**
     * Creates the loss.
     *
     * @param temperature tau, finite and &gt; 0
     * @param symmetric whether to average both directions
     * @throws IllegalArgumentException for a bad temperature
     */
    public InfoNce(double temperature, boolean symmetric) {
        this.temperature = SentenceVectors.temperature(NAME, temperature);
        this.symmetric = symmetric;
    }

    /**
     * Returns the temperature.
     *
     * @return tau
     */
    public double temperature() {
        return temperature;
    }

    /**
     * Returns whether both directions are averaged.
     *
     * @return the flag
     */
    public boolean symmetric() {
        return symmetric;
    }

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /**
     * Computes the loss.
     *
     * @param student one tensor {@code (B, D)}
     * @param teacher one tensor {@code (B, D)}
     * @param mask ignored
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        SentenceVectors.check(NAME, student, teacher, true);
        NDArray s = student.get(0);
        return infoNce(s, SentenceVectors.constant(teacher.get(0), s), temperature, symmetric);
    }

    /**
     * InfoNCE of anchors against positives, with the other rows' positives as negatives. Gradients flow into both
     * arguments (detach one yourself if it must stay fixed); this is also the unsupervised SimCSE objective when
     * both arguments are two dropout views from one encoder.
     *
     * @param anchors {@code (B, D)}
     * @param positives {@code (B, D)}, row i the positive of anchor i
     * @param temperature tau, &gt; 0
     * @param symmetric whether to average with the positives-as-anchors direction
     * @return a scalar
     */
    public static NDArray infoNce(NDArray anchors, NDArray positives, double temperature, boolean symmetric) {
        NDArray z = SentenceVectors.cosines(anchors, positives).div(GraphScalar.of(anchors, temperature));
        NDArray forward = z.logSoftmax(1).diagonal().mean().neg();
        if (!symmetric) {
            return forward;
        }
        NDArray backward = z.logSoftmax(0).diagonal().mean().neg();
        return forward.add(backward).div(GraphScalar.of(forward, 2));
    }
}
