package ai.distill4j.loss.logit;

import ai.distill4j.loss.KdLoss;
import ai.djl.ndarray.NDArray;

/**
 * Soft cross-entropy between the teacher's and the student's tempered distributions; registry name {@code ce}
 * (TextBrewer's {@code kd_ce_loss}, its default KD loss).
 *
 * <pre>
 *   p_T = softmax(T / tau),   log q_S = log_softmax(S / tau)        (over the class dimension)
 *   L   = -(1 / N) * sum_n sum_c p_T[n, c] * log q_S[n, c]
 * </pre>
 *
 * <ul>
 *   <li>Shapes: logits {@code (N, C)} or {@code (B, L, C)}; {@code N} counts every leading position (padding
 *       included unless the rows were selected with {@link LogitRows#select}). Temperature {@code ()} or one per
 *       row ({@code (N)}, or the leading shape {@code (B, L)}).
 *   <li>Reduction: sum over classes, mean over rows. No {@code tau^2} factor (TextBrewer leaves it out; the
 *       gradient therefore shrinks as {@code 1/tau}); {@link KlDivergenceKdLoss} has it.
 *   <li>Differs from KL(p_T || q_S) by the teacher's entropy, a constant for the student.
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code kd_ce_loss} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class SoftCrossEntropyKdLoss implements KdLoss {

    /** The registry name. */
    public static final String NAME = "ce";

    /** Creates the loss; it has no parameters. */
    public SoftCrossEntropyKdLoss() {}

    /** {@inheritDoc} */
    @Override
    public NDArray compute(NDArray logitsS, NDArray logitsT, NDArray temperature) {
        KdInputs.checkLogits(NAME, logitsS, logitsT);
        NDArray tau = KdInputs.forDivision(NAME, KdInputs.constant(temperature, logitsS), logitsS);
        NDArray teacher = KdInputs.constant(logitsT, logitsS);
        NDArray logQ = logitsS.div(tau).logSoftmax(-1);
        NDArray p = teacher.div(tau).softmax(-1);
        return logQ.mul(p).sum(new int[] {-1}).mean().neg();
    }
}
