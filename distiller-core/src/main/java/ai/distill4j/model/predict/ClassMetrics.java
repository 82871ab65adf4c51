package ai.distill4j.model.predict;

/**
 * The scores of one class in a single-label classification.
 *
 * <p>With {@code tp} the examples of this class predicted as it, {@code predicted} every example predicted as it
 * and {@code support} every example that truly is it: precision {@code tp / predicted}, recall
 * {@code tp / support}, F1 {@code 2 tp / (support + predicted)} (which is {@code 2 p r / (p + r)}). A ratio whose
 * denominator is 0 is 0 (never NaN), as scikit-learn's {@code zero_division=0}.
 *
 * @param label the class name
 * @param precision the share of predictions of this class that were right
 * @param recall the share of examples of this class that were found
 * @param f1 the harmonic mean of precision and recall
 * @param support how many examples truly belong to the class
 * @param predicted how many examples were predicted as the class
 * @since 0.1.0
 */
public record ClassMetrics(String label, double precision, double recall, double f1, long support, long predicted) {}
