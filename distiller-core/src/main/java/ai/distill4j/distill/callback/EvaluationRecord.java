package ai.distill4j.distill.callback;

import java.util.Map;

/**
 * One evaluation in a run's history.
 *
 * @param step the global optimizer step
 * @param epoch the epoch (pass) it happened in
 * @param metrics the metrics by name
 * @since 0.1.0
 */
public record EvaluationRecord(int step, int epoch, Map<String, Double> metrics) {

    /**
     * Copies the metrics.
     *
     * @param step the step
     * @param epoch the epoch
     * @param metrics the metrics
     */
    public EvaluationRecord {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}
