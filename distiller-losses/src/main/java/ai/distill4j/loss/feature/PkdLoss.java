package ai.distill4j.loss.feature;

import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Patient-KD loss: squared distance between the L2-normalized {@code [CLS]} vectors; registry name {@code pkd}
 * (TextBrewer's {@code pkd_loss}; BERT-PKD's {@code L_PT}).
 *
 * <pre>
 *   s = S[:, 0] (when 3-D), t = T[:, 0];   s^ = s / ||s||_2,  t^ = t / ||t||_2      (no epsilon)
 *   L = (1 / B) * sum_b sum_d (s^_b - t^_b)^2
 * </pre>
 *
 * <ul>
 *   <li>Shapes: {@code (B, L, D)} (position 0 is taken) or {@code (B, D)} (used as is), per side; the same
 *       {@code D} on both sides.
 *   <li>The mask is ignored (position 0 is always a real token).
 *   <li>Reduction: sum over the vector, mean over the batch. A zero vector gives NaN, as in TextBrewer.
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code pkd_loss} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class PkdLoss implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "pkd";

    /** Creates the loss; it has no parameters. */
    public PkdLoss() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        MatchInputs.checkCount(NAME, arity(), student, teacher);
        NDArray s = cls("student", student.get(0));
        NDArray t = cls("teacher", MatchInputs.constant(teacher.get(0), student.get(0)));
        MatchInputs.checkSameShape(NAME, s, t, "; give the match a projection ('proj') to the teacher's width");
        NDArray sHat = s.div(s.norm(new int[] {1}, true));
        NDArray tHat = t.div(t.norm(new int[] {1}, true));
        return sHat.sub(tHat).square().sum(new int[] {-1}).mean();
    }

    private static NDArray cls(String role, NDArray x) {
        MatchInputs.checkRank(NAME, role, x, new int[] {2, 3}, "(B, L, D) or (B, D)");
        return x.getShape().dimension() == 3 ? x.get(":, 0") : x;
    }
}
