package ai.distill4j.distill;

import ai.djl.ndarray.NDManager;

/**
 * What a distiller's loss computation knows about the current forward batch.
 *
 * @param manager the per-step manager; every array of the step lives here and is freed at step end
 * @param globalStep optimizer steps done before this batch
 * @param totalSteps optimizer steps of the whole run (the denominator of weight-scheduler progress)
 * @param globalBatch the 0-based index of this forward batch across the run
 * @param seed the run's base seed
 * @since 0.1.0
 */
public record StepContext(NDManager manager, int globalStep, int totalSteps, long globalBatch, long seed) {

    /**
     * Returns the training progress used by weight schedulers.
     *
     * @return {@code globalStep / totalSteps}, clamped to [0, 1]
     */
    public double progress() {
        return totalSteps <= 0 ? 0 : Math.min(1.0, Math.max(0.0, (double) globalStep / totalSteps));
    }
}
