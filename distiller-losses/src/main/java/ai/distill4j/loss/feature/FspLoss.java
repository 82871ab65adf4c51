package ai.distill4j.loss.feature;

import ai.distill4j.loss.GraphScalar;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * FSP ("flow of solution procedure") loss between the {@code D x D} Gram matrices of two layers; registry names
 * {@code fsp} and {@code gram} (TextBrewer's {@code fsp_loss}). Takes a PAIR of layers from each side.
 *
 * <pre>
 *   no mask:  G = X0^T X1 / L                               (B, D, D), per side
 *   mask m:   X &lt;- X * m[b, i];   G_b = X0_b^T X1_b / l_b
 *   L = (1 / (B*D*D)) * sum (G_S - G_T)^2
 * </pre>
 *
 * <ul>
 *   <li>Shapes: each of the four tensors {@code (B, L, D)}; student and teacher {@code D} must be equal (project
 *       each student tensor first otherwise). Mask {@code (B, L)}.
 *   <li>Reduction: mean over the {@code B*D*D} Gram entries (with or without mask).
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code fsp_loss} (HEAD 2c105fa); Yim et al., CVPR 2017.
 *
 * @since 0.1.0
 */
public final class FspLoss implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "fsp";

    /** The alias TextBrewer also registers. */
    public static final String ALIAS = "gram";

    private final String name;

    /** Creates the loss under its main name. */
    public FspLoss() {
        this(NAME);
    }

    /**
     * Creates the loss under a given registry name (used in messages).
     *
     * @param name {@code fsp} or {@code gram}
     */
    public FspLoss(String name) {
        this.name = name;
    }

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.PAIR;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        MatchInputs.LayerPair layers = MatchInputs.layerPair(name, arity(), student, teacher);
        NDArray s0 = layers.s0();
        NDArray s1 = layers.s1();
        NDArray t0 = layers.t0();
        NDArray t1 = layers.t1();
        String hint = "; give the match a projection ('proj') to the teacher's width";
        MatchInputs.checkSameShape(name, s0, t0, hint);
        MatchInputs.checkSameShape(name, s1, t1, hint);
        NDArray gramS;
        NDArray gramT;
        if (mask == null) {
            long length = s1.getShape().get(1);
            gramS = s0.transpose(0, 2, 1).matMul(s1).div(GraphScalar.of(s1, length));
            gramT = t0.transpose(0, 2, 1).matMul(t1).div(GraphScalar.of(t1, length));
        } else {
            NDArray m = MatchInputs.mask(name, mask, s0, s0.getShape().get(0), s0.getShape().get(1)).expandDims(2);
            NDArray lengths = m.sum(new int[] {1}, true); // (B, 1, 1)
            gramS = s0.mul(m).transpose(0, 2, 1).matMul(s1.mul(m)).div(lengths);
            gramT = t0.mul(m).transpose(0, 2, 1).matMul(t1.mul(m)).div(lengths);
        }
        return gramS.sub(gramT).square().mean();
    }
}
