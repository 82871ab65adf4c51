package ai.distill4j.distill;

import ai.distill4j.distill.callback.EvaluationRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a training run did: how far it went, its evaluation history, its checkpoints and how long it took.
 *
 * @param globalSteps optimizer steps done at the end
 * @param batches forward batches done at the end (across epochs)
 * @param epochs epochs (passes) started
 * @param stoppedEarly whether early stopping ended the run
 * @param resumedFromStep the step the run resumed from, or -1 for a fresh run
 * @param history every evaluation, in order
 * @param bestCheckpoint the checkpoint with the best metric, if an evaluation ran and checkpoints were kept
 * @param bestMetric the best value of the ranking metric, NaN without evaluation
 * @param lastCheckpoint the newest checkpoint, if any
 * @param finalLosses the loss terms of the last forward batch (total_loss included)
 * @param timings wall-clock time by phase ({@code total}, {@code teacher_forward}, {@code student_step},
 *     {@code optimizer}, {@code checkpoint}, {@code evaluation})
 * @since 0.1.0
 */
public record TrainResult(
        int globalSteps,
        long batches,
        int epochs,
        boolean stoppedEarly,
        int resumedFromStep,
        List<EvaluationRecord> history,
        Optional<Path> bestCheckpoint,
        double bestMetric,
        Optional<Path> lastCheckpoint,
        Map<String, Double> finalLosses,
        Map<String, Duration> timings) {

    /**
     * Copies the collections.
     *
     * @param globalSteps optimizer steps
     * @param batches forward batches
     * @param epochs epochs started
     * @param stoppedEarly early stop flag
     * @param resumedFromStep resume step or -1
     * @param history evaluations
     * @param bestCheckpoint the best checkpoint
     * @param bestMetric the best metric
     * @param lastCheckpoint the newest checkpoint
     * @param finalLosses the last losses
     * @param timings phase timings
     */
    public TrainResult {
        history = List.copyOf(history);
        finalLosses = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(finalLosses));
        timings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timings));
    }
}
