package ai.distill4j.loss.schedule;

import ai.distill4j.loss.WeightScheduler;

/**
 * Weight that grows linearly from 0 to 1 over training: {@code w = x}, {@code x = global_step / total_steps};
 * registry name {@code linear_growth}.
 *
 * <p>As in TextBrewer, the result REPLACES the configured weight rather than scaling it: the base weight is
 * ignored once the scheduler runs (it applies only before the first optimizer step). Applies to the KD and
 * hard-label weights.
 *
 * <p>Source: TextBrewer {@code schedulers.py} {@code linear_growth_weight_scheduler} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class LinearGrowthWeight implements WeightScheduler {

    /** The registry name. */
    public static final String NAME = "linear_growth";

    /** Creates the scheduler; it has no parameters. */
    public LinearGrowthWeight() {}

    /**
     * Returns {@code progress}.
     *
     * @param baseWeight ignored (TextBrewer overwrites the weight)
     * @param progress {@code global_step / total_steps}, in {@code [0, 1]}
     * @return {@code progress}
     * @throws IllegalArgumentException when progress is outside {@code [0, 1]}
     */
    @Override
    public double weight(double baseWeight, double progress) {
        return Progress.check(NAME, progress);
    }
}
