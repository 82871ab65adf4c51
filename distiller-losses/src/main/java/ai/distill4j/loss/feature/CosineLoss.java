package ai.distill4j.loss.feature;

import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One minus the cosine similarity of student and teacher vectors, averaged over tokens; registry name {@code cos}
 * (TextBrewer's {@code cos_loss}; DistilBERT's {@code L_cos}).
 *
 * <pre>
 *   cos_n = sum_d s_n t_n / sqrt((sum_d s_n^2 + 1e-12) * (sum_d t_n^2 + 1e-12))     (PyTorch's cosine_embedding_loss)
 *   no mask:  L = (1 / (B*L)) * sum_n (1 - cos_n)                  over every position n = (b, i)
 *   mask m:   L = sum_n m_n * (1 - cos_n)  /  sum_n m_n            over valid tokens only
 * </pre>
 *
 * <ul>
 *   <li>Shapes: {@code (B, L, D)} (any leading shape without a mask; the last axis is the vector), the same
 *       {@code D} on both sides. Mask {@code (B, L)}.
 *   <li>Invariant to positive rescaling of either side's vectors; a zero vector has cosine 0 (loss 1).
 *   <li>Reduction: mean over vectors; with a mask, over valid tokens (TextBrewer selects those rows, which gives
 *       the same value).
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code cos_loss} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class CosineLoss implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "cos";

    private static final double EPSILON = 1e-12;

    /** Creates the loss; it has no parameters. */
    public CosineLoss() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        MatchInputs.checkCount(NAME, arity(), student, teacher);
        NDArray s = student.get(0);
        NDArray t = MatchInputs.constant(teacher.get(0), s);
        MatchInputs.checkSameShape(NAME, s, t, "; give the match a projection ('proj') to the teacher's width");
        int[] last = {-1};
        NDArray dot = s.mul(t).sum(last);
        NDArray norms = s.square().sum(last).add(EPSILON).mul(t.square().sum(last).add(EPSILON)).sqrt();
        NDArray distance = dot.div(norms).neg().add(1);
        if (mask == null) {
            return distance.mean();
        }
        MatchInputs.checkRank(NAME, "student", s, new int[] {3}, "(B, L, D) when masked");
        NDArray m = MatchInputs.mask(NAME, mask, s, s.getShape().get(0), s.getShape().get(1));
        return distance.mul(m).sum().div(m.sum());
    }
}
