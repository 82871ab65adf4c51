package ai.distill4j.examples.quickstart;

import ai.distill4j.examples.data.LabeledEmail;
import ai.distill4j.model.predict.ClassMetrics;
import ai.distill4j.model.predict.ClassificationMetrics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
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
     * Scores the predictions against the gold classes ({@link LabeledEmail#LABEL_NAMES}).
     *
     * @return accuracy, and precision, recall and F1 of each class
     * @throws IllegalArgumentException when there are no examples or a class is not ham (0) or spam (1)
     */
    public ClassificationMetrics metrics() {
        return ClassificationMetrics.compute(gold, predicted, LabeledEmail.LABEL_NAMES);
    }

    /**
     * Returns the metrics by name, as the evaluation callback reports them: {@code accuracy}, and {@code f1},
     * {@code precision}, {@code recall} of spam (the positive class), then {@code eval_loss}, the mean loss.
     *
     * @return name to value
     */
    public Map<String, Double> evaluationMetrics() {
        ClassificationMetrics m = metrics();
        ClassMetrics spam = m.perClass().get(LabeledEmail.SPAM);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", m.accuracy());
        out.put("f1", spam.f1());
        out.put("precision", spam.precision());
        out.put("recall", spam.recall());
        out.put("eval_loss", meanLoss);
        return out;
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
