package ai.distill4j.loss.logit;

import ai.distill4j.loss.KdLoss;
import ai.djl.ndarray.NDArray;

/**
 * Mean squared error between tempered logits; registry name {@code mse} (TextBrewer's {@code kd_mse_loss}, the
 * usual choice for regression heads).
 *
 * <pre>
 *   L = (1 / (N * C)) * sum_{n, c} (S[n, c] / tau - T[n, c] / tau)^2
 * </pre>
 *
 * <ul>
 *   <li>Shapes: logits {@code (N, C)} or {@code (B, L, C)}; temperature {@code ()} or one per row.
 *   <li>Reduction: mean over every element (rows times classes). No {@code tau^2} factor.
 * </ul>
 *
 * <p>Source: TextBrewer {@code losses.py} {@code kd_mse_loss} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class MseKdLoss implements KdLoss {

    /** The registry name. */
    public static final String NAME = "mse";

    /** Creates the loss; it has no parameters. */
    public MseKdLoss() {}

    /** {@inheritDoc} */
    @Override
    public NDArray compute(NDArray logitsS, NDArray logitsT, NDArray temperature) {
        KdInputs.checkLogits(NAME, logitsS, logitsT);
        NDArray tau = KdInputs.forDivision(NAME, KdInputs.constant(temperature, logitsS), logitsS);
        NDArray teacher = KdInputs.constant(logitsT, logitsS);
        return logitsS.div(tau).sub(teacher.div(tau)).square().mean();
    }
}
