package ai.distill4j.loss;

import ai.djl.ndarray.NDArray;

/**
 * Computes the live distillation temperature from detached logits: a scalar (constant) or one value per row.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TemperatureScheduler {

    /**
     * Computes the temperature.
     *
     * @param logitsS student logits {@code (N, C)} (rows already selected), detached
     * @param logitsT teacher logits {@code (N, C)}, detached
     * @param baseTemperature the configured temperature
     * @return shape {@code ()} or {@code (N)}
     */
    NDArray temperature(NDArray logitsS, NDArray logitsT, double baseTemperature);

    /** Builds a {@link TemperatureScheduler} from its arguments. */
    @FunctionalInterface
    interface Factory {
        /**
         * Creates the scheduler.
         *
         * @param args the scheduler arguments ({@code beta}, {@code gamma}, ...)
         * @return the scheduler
         */
        TemperatureScheduler create(LossArgs args);
    }
}
