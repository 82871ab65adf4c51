package ai.distill4j.loss;

import ai.djl.ndarray.NDArray;

/**
 * A logit-level distillation loss: compares student and teacher logits at a temperature.
 *
 * <p>Logits are {@code (N, C)} or {@code (B, L, C)}; rows of 3-D logits that a logits mask excludes are removed
 * before the call (see {@code ai.distill4j.loss.logit.LogitRows}). The temperature is a scalar array of shape
 * {@code ()} or a per-row array of shape {@code (N)} (from a temperature scheduler). The result is a scalar.
 * Implementations never build gradients for the teacher's logits.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface KdLoss {

    /**
     * Computes the loss.
     *
     * @param logitsS student logits, {@code (N, C)} or {@code (B, L, C)}
     * @param logitsT teacher logits, same shape
     * @param temperature shape {@code ()} or {@code (N)}
     * @return a scalar
     */
    NDArray compute(NDArray logitsS, NDArray logitsT, NDArray temperature);

    /** Builds a {@link KdLoss} from its arguments. */
    @FunctionalInterface
    interface Factory {
        /**
         * Creates the loss.
         *
         * @param args the loss arguments
         * @return the loss
         */
        KdLoss create(LossArgs args);
    }
}
