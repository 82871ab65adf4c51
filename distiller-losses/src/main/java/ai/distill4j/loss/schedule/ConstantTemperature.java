package ai.distill4j.loss.schedule;

import ai.distill4j.loss.TemperatureScheduler;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The configured temperature, unchanged: {@code tau = base_tau}; registry name {@code constant}. Same as no
 * scheduler.
 *
 * <p>Source: TextBrewer {@code schedulers.py} {@code constant_temperature_scheduler} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class ConstantTemperature implements TemperatureScheduler {

    /** The registry name. */
    public static final String NAME = "constant";

    /** Creates the scheduler; it has no parameters. */
    public ConstantTemperature() {}

    /**
     * Returns the base temperature as a scalar array of the student logits' type, in their manager.
     *
     * @param logitsS student logits (only their manager and type are used)
     * @param logitsT teacher logits (unused)
     * @param baseTemperature the configured temperature
     * @return shape {@code ()}
     */
    @Override
    public NDArray temperature(NDArray logitsS, NDArray logitsT, double baseTemperature) {
        return logitsS.getManager().full(new Shape(), (float) baseTemperature, logitsS.getDataType());
    }
}
