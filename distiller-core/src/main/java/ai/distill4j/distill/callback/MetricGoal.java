package ai.distill4j.distill.callback;

/**
 * Whether a metric is better when larger (accuracy) or smaller (loss).
 *
 * @since 0.1.0
 */
public enum MetricGoal {
    /** Larger is better. */
    MAX,
    /** Smaller is better. */
    MIN;

    /**
     * Tells whether {@code candidate} improves on {@code best} by more than {@code minDelta}.
     *
     * @param candidate the new value
     * @param best the best value so far, or NaN for none
     * @param minDelta the smallest improvement that counts, {@code >= 0}
     * @return true when the candidate is better
     */
    public boolean improves(double candidate, double best, double minDelta) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return this == MAX ? candidate > best + minDelta : candidate < best - minDelta;
    }

    /**
     * Parses {@code max} or {@code min}.
     *
     * @param s the text
     * @return the goal
     */
    public static MetricGoal parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "max" -> MAX;
            case "min" -> MIN;
            default -> throw new IllegalArgumentException("mode = '" + s + "': must be \"max\" or \"min\"");
        };
    }
}
