package ai.distill4j.distill.optim;

import java.util.OptionalDouble;

/**
 * Optimizer options that override the defaults for a set of parameters, as a PyTorch param group does (for
 * example a projection's own learning rate).
 *
 * @param learningRate the group's base learning rate, or empty for the optimizer's
 * @param weightDecay the group's weight decay, or empty for the optimizer's
 * @since 0.1.0
 */
public record ParameterGroup(OptionalDouble learningRate, OptionalDouble weightDecay) {

    /** No overrides. */
    public static final ParameterGroup DEFAULT = new ParameterGroup(OptionalDouble.empty(), OptionalDouble.empty());
}
