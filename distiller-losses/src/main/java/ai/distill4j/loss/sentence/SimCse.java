package ai.distill4j.loss.sentence;

import ai.djl.ndarray.NDArray;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * SimCSE's InfoNCE between two views of the same sentences ({@code simcse}): view 1 of sentence i must be closer,
 * in cosine, to view 2 of sentence i than to view 2 of the other sentences.
 *
 * <pre>
 * z_ij = cos(v1_i, v2_j) / tau
 * L = -(1/B) sum_i log softmax_j(z_ij)[j = i]
 * </pre>
 *
 * <ul>
 *   <li>Registry form: {@code student = [view_1]}, {@code teacher = [view_2]}, each {@code (B, D)} with the same D.
 *       As every {@link MatchLoss}, it treats the teacher side (view 2) as a constant. For the original
 *       unsupervised SimCSE, where both views come from the trained encoder and both get gradients, call
 *       {@link InfoNce#infoNce(NDArray, NDArray, double, boolean)} with {@code symmetric = false}.
 *   <li>Argument: {@code temperature} tau (default 0.05, the paper's value).
 *   <li>Mask: ignored. Reduction: mean over the B rows.
 * </ul>
 *
 * <pre>
 * Gao, Yao, Chen. SimCSE: Simple Contrastive Learning of Sentence Embeddings. EMNLP 2021.
 * </pre>
 *
 * @since 0.1.0
 */
public final class SimCse implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "simcse";

    /** The default temperature (the paper's). */
    public static final double DEFAULT_TEMPERATURE = 0.05;

    private final double temperature;

    /**
     * Creates the loss.
     *
     * @param temperature tau, finite and &gt; 0
     * @throws IllegalArgumentException for a bad temperature
     */
    public SimCse(double temperature) {
        this.temperature = SentenceVectors.temperature(NAME, temperature);
    }

    /**
     * Returns the temperature.
     *
     * @return tau
     */
    public double temperature() {
        return temperature;
    }

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /**
     * Computes the loss.
     *
     * @param student {@code [view_1]}, one tensor {@code (B, D)}
     * @param teacher {@code [view_2]}, one tensor {@code (B, D)}
     * @param mask ignored
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        SentenceVectors.check(NAME, student, teacher, true);
        NDArray s = student.get(0);
        return InfoNce.infoNce(s, SentenceVectors.constant(teacher.get(0), s), temperature, false);
    }
}
