package ai.distill4j.loss.feature;

import ai.distill4j.loss.GraphScalar;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * NST-style loss between the {@code L x L} token-similarity matrices of two layers; registry names {@code mmd}
 * and {@code nst} (TextBrewer's {@code mmd_loss}). Takes a PAIR of layers from each side; the widths of student
 * and teacher may differ (no projection needed).
 *
 * <pre>
 *   G_S = S0 S1^T / D_S,   G_T = T0 T1^T / D_T                       (B, L, L)
 *   no mask:  L = (1 / (B*L*L)) * sum (G_S - G_T)^2
 *   mask m:   L = sum_{b,i,j} (G_S - G_T)^2 * m[b,i] * m[b,j]  /  sum_b l_b^2
 * </pre>
 *
 * <ul>
 *   <li>Shapes: student tensors {@code (B, L, D_S)}, teacher tensors {@code (B, L, D_T)}. Mask {@code (B, L)}.
 *   <li>Reduction: mean over all similarity entries; with a mask, over valid token pairs. This is TextBrewer HEAD;
 *       the PyPI release 0.2.1.post1 divided by {@code L} instead of {@code D} when masked.
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code mmd_loss} (HEAD 2c105fa); Huang and Wang, "Like What You Like:
 * Knowledge Distill via Neuron Selectivity Transfer" (2017).
 *
 * @since 0.1.0
 */
public final class MmdLoss implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "mmd";

    /** The alias TextBrewer also registers. */
    public static final String ALIAS = "nst";

    private final String name;

    /** Creates the loss under its main name. */
    public MmdLoss() {
        this(NAME);
    }

    /**
     * Creates the loss under a given registry name (used in messages).
     *
     * @param name {@code mmd} or {@code nst}
     */
    public MmdLoss(String name) {
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
        if (!s0.getShape().equals(s1.getShape()) || !t0.getShape().equals(t1.getShape())) {
            throw new IllegalArgumentException(
                    "loss '" + name + "' needs the two layers of a side to have one shape, got student "
                            + s0.getShape() + " / " + s1.getShape() + " and teacher " + t0.getShape() + " / "
                            + t1.getShape());
        }
        if (s0.getShape().get(0) != t0.getShape().get(0) || s0.getShape().get(1) != t0.getShape().get(1)) {
            throw new IllegalArgumentException(
                    "loss '" + name + "' needs the same batch and length on both sides, got student "
                            + s0.getShape() + " and teacher " + t0.getShape());
        }
        NDArray gramS = s0.matMul(s1.transpose(0, 2, 1)).div(GraphScalar.of(s1, s1.getShape().get(2)));
        NDArray gramT = t0.matMul(t1.transpose(0, 2, 1)).div(GraphScalar.of(t1, t1.getShape().get(2)));
        NDArray squared = gramS.sub(gramT).square();
        if (mask == null) {
            return squared.mean();
        }
        NDArray m = MatchInputs.mask(name, mask, s0, s0.getShape().get(0), s0.getShape().get(1));
        return squared.mul(MatchInputs.pairMask(m)).sum().div(m.sum(new int[] {1}).square().sum());
    }
}
