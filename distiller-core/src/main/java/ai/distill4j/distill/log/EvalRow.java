package ai.distill4j.distill.log;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of {@code eval.jsonl}: the results of one evaluation.
 *
 * @param step the optimizer step after which the evaluation ran
 * @param metrics each metric by name ({@code accuracy}, {@code eval_loss}, ...), in the order they were logged
 *     (unmodifiable)
 * @since 0.1.0
 */
public record EvalRow(long step, Map<String, Double> metrics) {

    /**
     * Creates a row, copying the metrics.
     *
     * @param step the optimizer step after which the evaluation ran
     * @param metrics each metric by name
     * @throws IllegalArgumentException if {@code step} is negative
     * @throws NullPointerException if {@code metrics} or one of its keys or values is null
     */
    public EvalRow {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        Objects.requireNonNull(metrics, "metrics");
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "metric name"),
                    Objects.requireNonNull(e.getValue(), () -> "value of metric " + e.getKey()));
        }
        metrics = Collections.unmodifiableMap(copy);
    }
}
