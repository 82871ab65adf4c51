package ai.distill4j.loss.feature;

import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Cross-entropy between the rows of attention distributions, per head; registry name {@code attention_ce}
 * (TextBrewer's {@code att_ce_loss}; MiniLM's attention transfer up to the teacher's entropy).
 *
 * <pre>
 *   p_T = softmax_j(A_T),   log q_S = log_softmax_j(A_S)
 *   no mask:  p~_T = 0 where A_T &lt;= -1e-3, else p_T
 *             L = -(1 / (B*H*L)) * sum_{b,h,i} sum_j p~_T * log q_S
 *   mask m:   L = -sum_{b,h,i} m[b,i] * sum_j m[b,j] * p_T * log q_S  /  (H * sum_b l_b)
 * </pre>
 *
 * <ul>
 *   <li>Shapes: {@code (B, H, L, L)} (a {@code (B, L, L)} input counts as one head); mask {@code (B, L)}.
 *   <li>The softmax is applied to whatever the adaptor gives: pre-softmax scores are the intended input (the
 *       additive mask then removes padded keys from both distributions).
 *   <li>Reduction: sum over keys, mean over (batch, head, query) rows; with a mask, over valid query rows.
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code att_ce_loss} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class AttentionCeLoss implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "attention_ce";

    /** Creates the loss; it has no parameters. */
    public AttentionCeLoss() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        AttentionMaps.Matched maps = AttentionMaps.matched(NAME, student, teacher,
                AttentionMaps.HeadReduction.KEEP);
        return perHead(NAME, maps.student(), maps.teacher(), mask);
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
        NDArray logQ = s.logSoftmax(-1);
        NDArray p = t.softmax(-1);
        if (mask == null) {
            NDArray kept;
            try (NDArray zero = p.getManager().zeros(new Shape(), p.getDataType())) {
                kept = NDArrays.where(t.gt(MatchInputs.MASKED_SCORE), p, zero);
            }
            return logQ.mul(kept).sum(new int[] {-1}).mean().neg();
        }
        long batch = s.getShape().get(0);
        long heads = s.getShape().get(1);
        long length = s.getShape().get(2);
        NDArray m = MatchInputs.mask(name, mask, s, batch, length);
        NDArray keys = m.reshape(batch, 1, 1, length);
        NDArray queries = m.reshape(batch, 1, length);
        NDArray rows = logQ.mul(p).mul(keys).sum(new int[] {-1}); // (B, H, L)
        return rows.mul(queries).sum().div(m.sum().mul(heads)).neg();
    }
}
