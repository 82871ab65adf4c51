package ai.distill4j.loss.sentence;

import ai.djl.ndarray.NDArray;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * Mean squared error between the in-batch cosine-similarity matrices of student and teacher
 * ({@code similarity_matrix}).
 *
 * <pre>
 * C^S_ij = cos(s_i, s_j),  C^T_ij = cos(t_i, t_j),  cos(a, b) = &lt;u(a), u(b)&gt;,  u(x) = x / max(|x|, 1e-12)
 * L = (1 / B^2) sum_{i,j} (C^S_ij - C^T_ij)^2
 * </pre>
 *
 * <ul>
 *   <li>Inputs: one {@code (B, D)} tensor per side; widths may differ (each matrix stays in its own space).
 *   <li>Mask: ignored.
 *   <li>Reduction: mean over the B^2 entries, diagonal included (it is 1 on both sides unless a vector is zero).
 *   <li>The teacher is a constant (no gradient). Scaling the student does not change the loss.
 * </ul>
 *
 * @since 0.1.0
 */
public final class SimilarityMatrixMse implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "similarity_matrix";

    /** Creates the loss (it has no arguments). */
    public SimilarityMatrixMse() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /**
     * Computes the loss.
     *
     * @param student one tensor {@code (B, D_S)}
     * @param teacher one tensor {@code (B, D_T)}
     * @param mask ignored
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        SentenceVectors.check(NAME, student, teacher, false);
        NDArray s = student.get(0);
        NDArray t = SentenceVectors.constant(teacher.get(0), s);
        return SentenceVectors.cosines(s, s).sub(SentenceVectors.cosines(t, t)).square().mean();
    }
}
