package ai.distill4j.distill.optim;

/**
 * A learning-rate multiplier as a function of the number of optimizer steps already taken, with the semantics of
 * PyTorch's {@code LambdaLR}: the update number {@code k} (0-based) uses {@code base_lr · factor(k)}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * Returns the multiplier for the update that follows {@code step} earlier updates.
     *
     * @param step the number of optimizer steps already taken, from 0
     * @return the multiplier of the base learning rate
     */
    double factor(int step);

    /**
     * The constant schedule: factor 1 at every step.
     *
     * @return the schedule
     */
    static LearningRateSchedule constant() {
        return step -> 1.0;
    }

    /**
     * HuggingFace's {@code get_linear_schedule_with_warmup}: {@code k / warmup} during warmup, then a linear decay
     * to 0 at {@code totalSteps}: {@code max(0, (total - k) / (total - warmup))}.
     *
     * @param warmupSteps steps of linear warmup from 0, at least 0
     * @param totalSteps the total number of optimizer steps, at least 1
     * @return the schedule
     */
    static LearningRateSchedule linearWithWarmup(int warmupSteps, int totalSteps) {
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException(
                    "linear schedule: warmup_steps = " + warmupSteps + ", total_steps = " + totalSteps
                            + ": need warmup_steps >= 0 and total_steps >= 1");
        }
        return step -> {
            if (step < warmupSteps) {
                return (double) step / Math.max(1, warmupSteps);
            }
            return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
        };
    }

    /**
     * HuggingFace's {@code get_constant_schedule_with_warmup}: {@code k / warmup} during warmup, then 1.
     *
     * @param warmupSteps steps of linear warmup from 0, at least 0
     * @return the schedule
     */
    static LearningRateSchedule constantWithWarmup(int warmupSteps) {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("constant schedule: warmup_steps = " + warmupSteps + ": must be >= 0");
        }
        return step -> step < warmupSteps ? (double) step / Math.max(1, warmupSteps) : 1.0;
    }
}
