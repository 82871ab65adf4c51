package ai.distill4j.loss;

/**
 * Scales a loss weight by training progress, evaluated after each optimizer step (TextBrewer semantics).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WeightScheduler {

    /**
     * Returns the live weight.
     *
     * @param baseWeight the configured weight
     * @param progress {@code global_step / total_steps}, in {@code [0, 1]}
     * @return the live weight
     */
    double weight(double baseWeight, double progress);
}
