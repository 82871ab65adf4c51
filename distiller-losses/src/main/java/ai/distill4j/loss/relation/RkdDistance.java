package ai.distill4j.loss.relation;

import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * RKD distance-wise relation ({@code rkd_distance}): the pairwise Euclidean distances between the sentence vectors
 * of a batch, each normalised by its mean, must match the teacher's.
 *
 * <pre>
 * d_ij = sqrt(max(|x_i|^2 + |x_j|^2 - 2 x_i.x_j, 1e-12)) for i != j,  d_ii = 0
 * psi  = d / mu,  mu = mean of d over the N(N-1) pairs i != j         (per model)
 * L    = (1/N^2) sum_{i,j} smoothL1(psi^S_ij - psi^T_ij)                (Huber, delta 1; diagonal included)
 * </pre>
 *
 * <ul>
 *   <li>Inputs: one tensor per side, {@code (N, D)} (N = batch); D_S may differ from D_T.
 *   <li>Mask: ignored (whole batch). A batch of one gives 0.
 *   <li>Reduction: mean over all N^2 entries, diagonal included (the reference's {@code elementwise_mean}).
 *   <li>The teacher is a constant (no gradient). The paper's weight for this term is 1 (set it in the config).
 * </ul>
 *
 * <pre>
 * Park, Kim, Lu, Cho. Relational Knowledge Distillation. CVPR 2019. Reference: lenscloth/RKD metric/loss.py
 * (RkdDistance) and metric/utils.py (pdist, squared=False).
 * </pre>
 *
 * @since 0.1.0
 */
public final class RkdDistance implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "rkd_distance";

    /** Creates the loss (it has no arguments). */
    public RkdDistance() {}

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
        sameBatch(NAME, s.getShape(), t.getShape());
        long n = s.getShape().get(0);
        return LossScope.run(s.getManager(), () -> {
            if (n < 2) {
                return s.sum().mul(GraphScalar.of(s, 0));
            }
            NDArray offDiagonal = s.getManager().eye((int) n).neg().add(1).toType(s.getDataType(), false);
            NDArray ds = normalisedDistances(s, offDiagonal, n);
            NDArray dt = normalisedDistances(SingleInputs.constant(t, s), offDiagonal, n);
            return SmoothL1.elementwise(ds, dt).mean();
        });
    }

    private static NDArray normalisedDistances(NDArray x, NDArray offDiagonal, long n) {
        NDArray squares = x.square().sum(new int[] {1});
        NDArray d = squares.expandDims(1).add(squares.expandDims(0)).sub(x.matMul(x.transpose()).mul(GraphScalar.of(x, 2)))
                .maximum(GraphScalar.of(x, 1e-12)).sqrt().mul(offDiagonal);
        NDArray mean = Scalars.divide(d.sum(), (double) n * (n - 1));
        return d.div(mean);
    }

    static void sameBatch(String name, Shape s, Shape t) {
        if (s.get(0) != t.get(0)) {
            throw new IllegalArgumentException(
                    "loss '" + name + "' needs the same batch size on both sides, got student " + s + " and teacher " + t);
        }
    }
}
