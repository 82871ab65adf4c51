package ai.distill4j.loss.feature;

import ai.distill4j.loss.Arity;
import ai.distill4j.loss.GraphScalar;
import ai.distill4j.loss.MatchLoss;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Mean squared error between hidden states; registry name {@code hidden_mse} (TextBrewer's {@code hid_mse_loss};
 * TinyBERT's hidden-state loss).
 *
 * <pre>
 *   no mask:  L = (1 / (B*L*D)) * sum_{b,i,d} (S - T)^2
 *   mask m:   L = sum_{b,i,d} (S - T)^2 * m[b,i]  /  (D * sum_b l_b)
 * </pre>
 *
 * <ul>
 *   <li>Shapes: {@code (B, L, D)} on both sides, the same {@code D} (otherwise project the student first, the
 *       match's {@code proj}); without a mask any equal shapes work. Mask {@code (B, L)}.
 *   <li>Reduction: mean over all elements; with a mask, over the elements of valid tokens.
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code hid_mse_loss} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class HiddenMseLoss implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "hidden_mse";

    /** Creates the loss; it has no parameters. */
    public HiddenMseLoss() {}

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
        if (mask == null) {
            NDArray d = s.sub(t);
            return SumOfSquares.of(d).div(GraphScalar.of(d, d.size()));
        }
        MatchInputs.checkRank(NAME, "student", s, new int[] {3}, "(B, L, D) when masked");
        long width = s.getShape().get(2);
        NDArray m = MatchInputs.mask(NAME, mask, s, s.getShape().get(0), s.getShape().get(1));
        NDArray d = s.sub(t);
        if (!SumOfSquares.keepsAll(m)) {
            d = d.mul(m.expandDims(2)); // (s - t)^2 * m = ((s - t) * m)^2 for a 0/1 mask
        }
        return SumOfSquares.of(d).div(m.sum().mul(width));
    }
}
