package ai.distill4j.loss.feature;

import ai.distill4j.loss.Arity;
import ai.distill4j.loss.GraphScalar;
import ai.distill4j.loss.MatchLoss;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Mean squared error between attention maps, per head; registry name {@code attention_mse} (TextBrewer's
 * {@code att_mse_loss}; TinyBERT's attention loss).
 *
 * <pre>
 *   no mask:  A~ = A * [A &gt; -1e-3]   (student and teacher separately)
 *             L  = (1 / (B*H*L*L)) * sum_{b,h,i,j} (A~_S - A~_T)^2
 *   mask m:   L  = sum_{b,h,i,j} (A_S - A_T)^2 * m[b,i] * m[b,j]  /  (H * sum_b l_b^2),   l_b = sum_i m[b,i]
 * </pre>
 *
 * <ul>
 *   <li>Shapes: {@code (B, H, L, L)} on both sides (a {@code (B, L, L)} input counts as one head); mask
 *       {@code (B, L)}, 1 = real token, 0 = padding (no other values).
 *   <li>Inputs may be pre-softmax scores (with the additive mask) or probabilities, as the adaptor gives them.
 *       Without a mask, every entry {@code <= -1e-3} is set to 0 first, which neutralizes additively masked
 *       scores; with a mask, masked rows and columns drop out and nothing is zeroed.
 *   <li>Reduction: without mask, mean over all elements; with mask, the sum over valid (query, key) pairs of all
 *       heads divided by their count.
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code att_mse_loss} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class AttentionMseLoss implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "attention_mse";

    /** Creates the loss; it has no parameters. */
    public AttentionMseLoss() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        MatchInputs.checkCount(NAME, arity(), student, teacher);
        NDArray s = AttentionMaps.heads(NAME, "student", student.get(0));
        NDArray t = AttentionMaps.heads(NAME, "teacher", MatchInputs.constant(teacher.get(0), student.get(0)));
        MatchInputs.checkSameShape(NAME, s, t, "");
        return perHead(NAME, s, t, mask);
    }

    /**
     * The loss on {@code (B, H, L, L)} maps.
     *
     * @param name registry name for messages
     * @param s student maps
     * @param t teacher maps (constant)
     * @param mask {@code (B, L)} or null
     * @return the scalar loss
     */
    static NDArray perHead(String name, NDArray s, NDArray t, NDArray mask) {
        if (mask == null) {
            NDArray d = MatchInputs.zeroMaskedScores(s).sub(MatchInputs.zeroMaskedScores(t));
            return SumOfSquares.of(d).div(GraphScalar.of(d, d.size()));
        }
        long heads = s.getShape().get(1);
        NDArray m = MatchInputs.mask(name, mask, s, s.getShape().get(0), s.getShape().get(2));
        NDArray count = m.sum(new int[] {1}).square().sum().mul(heads);
        NDArray d = s.sub(t);
        if (!SumOfSquares.keepsAll(m)) {
            // (s - t)^2 * m_i * m_j = ((s - t) * m_i * m_j)^2 for a 0/1 mask
            d = d.mul(MatchInputs.pairMask(m).expandDims(1)); // pairs (B, 1, L, L)
        }
        return SumOfSquares.of(d).div(count);
    }
}
