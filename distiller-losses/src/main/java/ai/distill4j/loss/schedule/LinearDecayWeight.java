package ai.distill4j.loss.schedule;

import ai.distill4j.loss.WeightScheduler;

/**
 * Weight that falls linearly from 1 to 0 over training: {@code w = 1 - x}, {@code x = global_step / total_steps};
 * registry name {@code linear_decay}.
 *
 * <p>As in TextBrewer, the result REPLACES the configured weight rather than scaling it: the base weight is
 * ignored once the scheduler runs (it applies only before the first optimizer step, when TextBrewer has not yet
 * called the scheduler). Applies to the KD and hard-label weights.
 *
 * <p>Source: TextBrewer {@code schedulers.py} {@code linear_decay_weight_scheduler} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class LinearDecayWeight implements WeightScheduler {

    /** The registry name. */
    public static final String NAME = "linear_decay";

    /** Creates the scheduler; it has no parameters. */
    public LinearDecayWeight() {}

    /**
     * Returns {@code 1 - progress}.
     *
     * @param baseWeight ignored (TextBrewer overwrites the weight)
     * @param progress {@code global_step / total_steps}, in {@code [0, 1]}
     * @return {@code 1 - progress}
     * @throws IllegalArgumentException when progress is outside {@code [0, 1]}
     */
    @Override
    public double weight(double baseWeight, double progress) {
        return 1 - Progress.check(NAME, progress);
    }
}
