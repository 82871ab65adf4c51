package ai.distill4j.distill.checkpoint;

import java.util.Locale;

/**
 * Whether a smaller or a larger metric value is better, for choosing the best checkpoint.
 *
 * @since 0.1.0
 */
public enum MetricMode {
    /** Smaller is better (losses, perplexity). */
    MIN,
    /** Larger is better (accuracy, F1). */
    MAX;

    /**
     * Reads {@code "min"} or {@code "max"}, in any case.
     *
     * @param text the mode's name
     * @return the mode
     * @throws IllegalArgumentException if the text is neither
     */
    public static MetricMode parse(String text) {
        if (text != null) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "min":
                    return MIN;
                case "max":
                    return MAX;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("metric mode must be 'min' or 'max', got '" + text + "'");
    }

    /**
     * Tells whether a candidate value beats the current best (ties do not; NaN never does).
     *
     * @param candidate the new value
     * @param best the current best value
     * @return true if the candidate is strictly better
     */
    public boolean isBetter(double candidate, double best) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return this == MIN ? candidate < best : candidate > best;
    }

    /**
     * Returns the lower-case name used in files.
     *
     * @return {@code "min"} or {@code "max"}
     */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
