package ai.distill4j.loss.feature;

import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Cross-entropy between head-averaged attention distributions; registry name {@code attention_ce_mean}
 * (TextBrewer's {@code att_ce_mean_loss}). Works when student and teacher have different numbers of heads.
 *
 * <pre>
 *   A = mean_h A[:, h]                                     (when 4-D; the average of the inputs, then softmax)
 *   p_T = softmax_j(A_T),   log q_S = log_softmax_j(A_S)
 *   no mask:  p~_T = 0 where A_T &lt;= -1e-3, else p_T;   L = -(1 / (B*L)) * sum_{b,i} sum_j p~_T * log q_S
 *   mask m:   L = -sum_{b,i} m[b,i] * sum_j m[b,j] * p_T * log q_S  /  sum_b l_b
 * </pre>
 *
 * <ul>
 *   <li>Shapes: {@code (B, H, L, L)} or {@code (B, L, L)}; head counts may differ. Mask {@code (B, L)}.
 *   <li>Reduction: sum over keys, mean over (batch, query) rows; with a mask, over valid query rows.
 *   <li>Deviation from TextBrewer: the head mean saturates at the largest finite float, so scores carrying an
 *       additive {@code finfo.min} mask (as HuggingFace adds it) give a finite loss where TextBrewer overflows to
 *       {@code -inf} and returns NaN; every finite result is unchanged.
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code att_ce_mean_loss} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class AttentionCeMeanLoss implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "attention_ce_mean";

    /** Creates the loss; it has no parameters. */
    public AttentionCeMeanLoss() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        AttentionMaps.Matched maps = AttentionMaps.matched(NAME, student, teacher,
                AttentionMaps.HeadReduction.MEAN);
        return AttentionCeLoss.perHead(NAME, maps.student(), maps.teacher(), mask);
    }
}
