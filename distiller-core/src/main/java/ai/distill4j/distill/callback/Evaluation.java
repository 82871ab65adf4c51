package ai.distill4j.distill.callback;

import ai.distill4j.distill.checkpoint.MetricMode;
import java.util.Objects;

/**
 * How the student is evaluated during training: the callback, the metric that decides which checkpoint is best,
 * whether larger or smaller is better, and early stopping. The evaluation runs at every checkpoint.
 *
 * @param callback computes the metrics
 * @param metric the metric that ranks checkpoints (must be among the callback's results)
 * @param mode whether larger (max) or smaller (min) is better
 * @param patience stop after this many evaluations without improvement; 0 disables early stopping
 * @param minDelta the smallest change that counts as an improvement
 * @since 0.1.0
 */
public record Evaluation(EvaluationCallback callback, String metric, MetricMode mode, int patience, double minDelta) {

    /**
     * Validates.
     *
     * @param callback computes the metrics
     * @param metric the ranking metric
     * @param mode max or min
     * @param patience {@code >= 0}
     * @param minDelta {@code >= 0}
     */
    public Evaluation {
        Objects.requireNonNull(callback, "callback");
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("evaluation.metric = '" + metric + "': must name a metric");
        }
        Objects.requireNonNull(mode, "mode");
        if (patience < 0) {
            throw new IllegalArgumentException("evaluation.patience = " + patience + ": must be >= 0");
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("evaluation.min_delta = " + minDelta + ": must be >= 0");
        }
    }

    /**
     * Evaluates with a ranking metric and no early stopping.
     *
     * @param callback computes the metrics
     * @param metric the ranking metric
     * @param mode max or min
     * @return the evaluation
     */
    public static Evaluation of(EvaluationCallback callback, String metric, MetricMode mode) {
        return new Evaluation(callback, metric, mode, 0, 0);
    }

    /**
     * Returns a copy with early stopping.
     *
     * @param patience evaluations without improvement before stopping, {@code >= 1}
     * @return the copy
     */
    public Evaluation withPatience(int patience) {
        return new Evaluation(callback, metric, mode, patience, minDelta);
    }
}
