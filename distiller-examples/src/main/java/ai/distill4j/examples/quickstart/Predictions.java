package ai.distill4j.examples.quickstart;

import java.util.Arrays;
import java.util.Objects;

/**
 * A classifier's predictions on labelled examples.
 *
 * @param predicted the arg-max class of each example
 * @param gold the gold class of each example
 * @param meanLoss the mean cross-entropy of the logits against the gold classes
 * @since 0.1.0
 */
public record Predictions(long[] predicted, long[] gold, double meanLoss) {

    /**
     * Checks the alignment and copies the arrays.
     *
     * @param predicted the predictions
     * @param gold the gold classes
     * @param meanLoss the mean loss
     */
    public Predictions {
        predicted = Objects.requireNonNull(predicted, "predicted").clone();
        gold = Objects.requireNonNull(gold, "gold").clone();
        if (predicted.length != gold.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length + " entries, gold has "
                    + gold.length);
        }
    }

    /**
     * Returns the predictions.
     *
     * @return a copy
     */
    @Override
    public long[] predicted() {
        return predicted.clone();
    }

    /**
     * Returns the gold classes.
     *
     * @return a copy
     */
    @Override
    public long[] gold() {
        return gold.clone();
    }

    /**
     * Scores the predictions.
     *
     * @return accuracy, precision, recall, F1 and the loss
     */
    public ClassificationMetrics metrics() {
        return ClassificationMetrics.of(predicted, gold, meanLoss);
    }

    /**
     * Counts the examples where two sets of predictions disagree.
     *
     * @param other predictions on the same examples
     * @return the number of differing predictions
     */
    public int disagreements(Predictions other) {
        if (other.predicted.length != predicted.length) {
            throw new IllegalArgumentException("the other predictions cover " + other.predicted.length
                    + " examples, these " + predicted.length);
        }
        int n = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] != other.predicted[i]) {
                n++;
            }
        }
        return n;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof Predictions p && Arrays.equals(predicted, p.predicted) && Arrays.equals(gold, p.gold)
                && Double.compare(meanLoss, p.meanLoss) == 0;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(predicted), Arrays.hashCode(gold), meanLoss);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "Predictions[" + predicted.length + " examples, mean loss " + meanLoss + "]";
    }
}
