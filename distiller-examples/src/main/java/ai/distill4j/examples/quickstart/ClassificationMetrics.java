package ai.distill4j.examples.quickstart;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary classification quality on a set of examples: accuracy, and precision, recall and F1 of the positive class
 * (spam, label 1), plus the mean cross-entropy.
 *
 * <pre>
 * accuracy  = correct / n
 * precision = tp / (tp + fp)      (0 when nothing is predicted positive)
 * recall    = tp / (tp + fn)      (0 when there is no positive example)
 * f1        = 2 tp / (2 tp + fp + fn)   (0 when tp + fp + fn = 0)
 * </pre>
 *
 * @param examples how many examples were scored
 * @param accuracy the share predicted correctly
 * @param precision the positive predictions that are right
 * @param recall the positives that are found
 * @param f1 the harmonic mean of precision and recall
 * @param loss the mean cross-entropy of the logits against the labels, NaN when not computed
 * @since 0.1.0
 */
public record ClassificationMetrics(int examples, double accuracy, double precision, double recall, double f1,
        double loss) {

    /** The label counted as positive for precision, recall and F1 (spam). */
    public static final long POSITIVE = 1;

    /**
     * Scores predictions against gold labels.
     *
     * @param predicted the predicted classes
     * @param gold the gold classes, aligned
     * @param loss the mean loss, or NaN
     * @return the metrics
     * @throws IllegalArgumentException when the arrays differ in length or are empty
     */
    public static ClassificationMetrics of(long[] predicted, long[] gold, double loss) {
        if (predicted.length != gold.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length + " entries, gold has "
                    + gold.length);
        }
        if (gold.length == 0) {
            throw new IllegalArgumentException("no examples to score");
        }
        long correct = 0;
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < gold.length; i++) {
            boolean p = predicted[i] == POSITIVE;
            boolean g = gold[i] == POSITIVE;
            if (predicted[i] == gold[i]) {
                correct++;
            }
            if (p && g) {
                tp++;
            } else if (p) {
                fp++;
            } else if (g) {
                fn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
        return new ClassificationMetrics(gold.length, (double) correct / gold.length, precision, recall, f1, loss);
    }

    /**
     * Returns the metrics by name, as an evaluation callback reports them ({@code accuracy}, {@code f1},
     * {@code precision}, {@code recall}, {@code eval_loss}).
     *
     * @return name to value
     */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy);
        m.put("f1", f1);
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("eval_loss", loss);
        return m;
    }
}
