package ai.distill4j.distill;

import ai.distill4j.distill.internal.Invalid;
import java.util.Locale;

/**
 * What training does when a loss term or a gradient is NaN or infinite: the run file's {@code "non_finite"} field and
 * {@link TrainOptions.Builder#optNonFinite}.
 *
 * @since 0.1.0
 */
public enum NonFinitePolicy {
    /**
     * Stop at once with a {@link NonFiniteException} naming the step and the loss term (or parameter); nothing of the
     * bad batch reaches the weights, so the newest checkpoint is the last good state (the default).
     */
    STOP,
    /**
     * Drop the batch (a non-finite loss: no backward pass) or the accumulation window (a non-finite gradient: no
     * update; the learning-rate schedule still advances) and go on; each skip is logged as a warning, its row stays
     * in {@code metrics.jsonl}, and {@link TrainResult#skippedBatches()} counts the dropped batches. Weights that
     * have become non-finite still stop the run: no later batch could repair them.
     */
    SKIP;

    /**
     * Parses the run-file value.
     *
     * @param value {@code "stop"} or {@code "skip"}
     * @param field the field name, for the message
     * @return the policy
     * @throws ai.distill4j.ValidationException for any other value
     */
    public static NonFinitePolicy parse(String value, String field) {
        for (NonFinitePolicy p : values()) {
            if (p.toString().equals(value)) {
                return p;
            }
        }
        throw Invalid.value(field, value, "must be \"stop\" or \"skip\"");
    }

    /**
     * Returns the run-file spelling.
     *
     * @return {@code "stop"} or {@code "skip"}
     */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
