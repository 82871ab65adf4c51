package ai.distill4j.distill.log;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of {@code metrics.jsonl}: what one forward batch logged.
 *
 * @param batch the forward batch, 0-based, counted across epochs
 * @param step optimizer steps done after this batch
 * @param learningRate the learning rate this batch was trained with
 * @param totalLoss the total loss of the batch, before division by the gradient accumulation steps
 * @param terms each loss term by name ({@code unweighted_kd_loss}, ...), in the order they were logged
 *     (unmodifiable)
 * @since 0.1.0
 */
public record MetricsRow(long batch, long step, double learningRate, double totalLoss, Map<String, Double> terms) {

    /**
     * Creates a row, copying the terms.
     *
     * @param batch the forward batch, 0-based across epochs
     * @param step optimizer steps done after this batch
     * @param learningRate the learning rate of this batch
     * @param totalLoss the batch's total loss
     * @param terms each loss term by name
     * @throws IllegalArgumentException if {@code batch} or {@code step} is negative
     * @throws NullPointerException if {@code terms} or one of its keys or values is null
     */
    public MetricsRow {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        Objects.requireNonNull(terms, "terms");
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : terms.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "term name"),
                    Objects.requireNonNull(e.getValue(), () -> "value of term " + e.getKey()));
        }
        terms = Collections.unmodifiableMap(copy);
    }
}
