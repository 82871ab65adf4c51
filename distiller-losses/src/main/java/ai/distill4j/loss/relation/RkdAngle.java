package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * RKD angle-wise relation ({@code rkd_angle}): the angles that every triple of sentence vectors of a batch forms
 * must match the teacher's.
 *
 * <pre>
 * e_ij       = u(x_j - x_i),  u(v) = v / max(|v|, 1e-12)
 * psi(i,j,k) = &lt;e_ij, e_ik&gt;                          (cosine of the angle at x_i; 0 when j = i or k = i)
 * L          = (1/N^3) sum_{i,j,k} smoothL1(psi^S - psi^T)   (Huber, delta 1)
 * </pre>
 *
 * <ul>
 *   <li>Inputs: one tensor per side, {@code (N, D)} (N = batch); D_S may differ from D_T.
 *   <li>Mask: ignored (whole batch).
 *   <li>Reduction: mean over all N^3 triples.
 *   <li>The teacher is a constant (no gradient). The paper's weight for this term is 2 (set it in the config).
 *   <li>Memory: the differences are materialised, {@code N^2 D} values per side (exact, so duplicate sentences
 *       give exactly 0); fine for sentence batches.
 * </ul>
 *
 * <pre>
 * Park, Kim, Lu, Cho. Relational Knowledge Distillation. CVPR 2019. Reference: lenscloth/RKD metric/loss.py
 * (RKdAngle).
 * </pre>
 *
 * @since 0.1.0
 */
public final class RkdAngle implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "rkd_angle";

    /** Creates the loss (it has no arguments). */
    public RkdAngle() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /**
     * Computes the loss.
     *
     * @param student one tensor {@code (N, D_S)}
     * @param teacher one tensor {@code (N, D_T)}
     * @param mask ignored
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        SingleInputs.check(NAME, student, teacher, "sentence vectors of shape (batch, dim)", 2);
        NDArray s = student.get(0);
        NDArray t = teacher.get(0);
        RkdDistance.sameBatch(NAME, s.getShape(), t.getShape());
        return LossScope.run(s.getManager(), () -> {
            NDArray as = angles(s);
            NDArray at = angles(SingleInputs.constant(t, s));
            return SmoothL1.elementwise(as, at).mean();
        });
    }

    /** {@code (N, D)} to {@code (N, N, N)}, indexed {@code [i, j, k]}. */
    private static NDArray angles(NDArray x) {
        NDArray e = x.expandDims(0).sub(x.expandDims(1)).normalize(2, -1, 1e-12); // [i, j] = u(x_j - x_i)
        return e.matMul(e.transpose(0, 2, 1));
    }
}
