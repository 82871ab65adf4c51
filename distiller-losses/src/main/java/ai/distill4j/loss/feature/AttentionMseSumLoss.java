package ai.distill4j.loss.feature;

import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Mean squared error between head-summed attention maps; registry name {@code attention_mse_sum} (TextBrewer's
 * {@code att_mse_sum_loss}). Works when student and teacher have different numbers of heads.
 *
 * <pre>
 *   A = sum_h A[:, h]                                      (when 4-D)
 *   no mask:  A~ = A * [A &gt; -1e-3]  (after summing),   L = (1 / (B*L*L)) * sum_{b,i,j} (A~_S - A~_T)^2
 *   mask m:   L = sum_{b,i,j} (A_S - A_T)^2 * m[b,i] * m[b,j]  /  sum_b l_b^2
 * </pre>
 *
 * <ul>
 *   <li>Shapes: {@code (B, H, L, L)} or {@code (B, L, L)}; the head counts of student and teacher may differ.
 *       Mask {@code (B, L)}.
 *   <li>Reduction: without mask, mean over {@code B*L*L}; with mask, over the valid (query, key) pairs.
 *   <li>Deviation from TextBrewer: the head sum saturates at the largest finite float, so scores carrying an
 *       additive {@code finfo.min} mask (as HuggingFace adds it) give a finite loss where TextBrewer overflows to
 *       {@code -inf} and returns NaN; every finite result is unchanged.
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code att_mse_sum_loss} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class AttentionMseSumLoss implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "attention_mse_sum";

    /** Creates the loss; it has no parameters. */
    public AttentionMseSumLoss() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        AttentionMaps.Matched maps = AttentionMaps.matched(NAME, student, teacher,
                AttentionMaps.HeadReduction.SUM);
        return AttentionMseLoss.perHead(NAME, maps.student(), maps.teacher(), mask);
    }
}
