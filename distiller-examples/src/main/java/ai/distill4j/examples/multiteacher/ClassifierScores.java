package ai.distill4j.examples.multiteacher;

import java.util.Locale;

/**
 * Binary classification quality: accuracy, and precision, recall and F1 of the positive class (spam, label 1).
 *
 * <pre>
 * accuracy  = correct / n
 * precision = tp / (tp + fp)            (0 when nothing is predicted positive)
 * recall    = tp / (tp + fn)            (0 when there is no positive example)
 * f1        = 2 tp / (2 tp + fp + fn)   (0 when tp + fp + fn = 0)
 * </pre>
 *
 * @param examples how many examples were scored
 * @param accuracy the share predicted correctly
 * @param precision the positive predictions that are right
 * @param recall the positives that are found
 * @param f1 the harmonic mean of precision and recall
 * @since 0.1.0
 */
public record ClassifierScores(int examples, double accuracy, double precision, double recall, double f1) {

    /** The label counted as positive (spam). */
    public static final long POSITIVE = 1;

    /**
     * Scores predictions against gold labels.
     *
     * @param predicted predicted classes
     * @param gold gold classes, aligned
     * @return the scores
     * @throws IllegalArgumentException when the arrays differ in length or are empty
     */
    public static ClassifierScores of(long[] predicted, long[] gold) {
        if (predicted.length != gold.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length + " entries, gold " + gold.length);
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
        return new ClassifierScores(gold.length, (double) correct / gold.length, precision, recall, f1);
    }

    /**
     * Scores logits: the predicted class of a row is its arg-max (the lower class on ties).
     *
     * @param logits one row of class scores per example
     * @param gold gold classes, aligned
     * @return the scores
     */
    public static ClassifierScores ofLogits(float[][] logits, long[] gold) {
        return of(Logits.argMax(logits), gold);
    }

    /**
     * Formats the scores, e.g. {@code acc 0.975 F1 0.958}.
     *
     * @return the text
     */
    public String describe() {
        return String.format(Locale.ROOT, "acc %.3f P %.3f R %.3f F1 %.3f (n=%d)", accuracy, precision, recall, f1,
                examples);
    }
}
