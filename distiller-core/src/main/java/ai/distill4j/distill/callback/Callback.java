package ai.distill4j.distill.callback;

import ai.distill4j.distill.DistillModel;
import java.nio.file.Path;

/**
 * Hooks into a training run. Every method has a no-op default, so an implementation overrides only what it needs.
 *
 * <p>{@link #onCheckpoint} is TextBrewer's {@code callback(model, step)}: it runs after each checkpoint has been
 * written. The student is passed for inspection; callbacks must not change its weights.
 *
 * @since 0.1.0
 */
public interface Callback {

    /**
     * Called after a checkpoint was written.
     *
     * @param student the student model
     * @param step the global optimizer step of the checkpoint
     * @param checkpoint the checkpoint folder, or {@code null} when checkpoints are not kept on disk
     */
    default void onCheckpoint(DistillModel<?, ?> student, int step, Path checkpoint) {}

    /**
     * Called at the end of each epoch (epoch mode) or pass over the data (step mode).
     *
     * @param epoch the epoch that ended, from 0
     * @param step the global optimizer step
     */
    default void onEpochEnd(int epoch, int step) {}

    /**
     * Called after each optimizer step.
     *
     * @param step the global optimizer step just taken, from 1
     * @param learningRate the learning rate that step used
     */
    default void onStep(int step, double learningRate) {}
}
