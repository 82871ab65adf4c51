package ai.distill4j.model.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntToLongFunction;

/**
 * Accuracy, macro-F1, per-class precision, recall and F1 and the confusion matrix of single-label predictions.
 * Immutable.
 *
 * <p>Macro-F1 is the unweighted mean of the per-class F1 over the classes that occur in the gold labels or in the
 * predictions (scikit-learn's {@code f1_score(average="macro")} without {@code labels=}): a class of the model that
 * the data never mentions and the model never predicts does not count. A class that is in the data but never
 * predicted has precision 0, recall 0 and F1 0 (no NaN) and does count. F1 is computed from the counts,
 * {@code 2 tp / (support + predicted)}, as scikit-learn does: the same value as {@code 2 p r / (p + r)} without its
 * rounding.
 *
 * <pre>{@code
 * ClassificationMetrics m = ClassificationMetrics.compute(gold, predicted, List.of("ham", "spam"));
 * m.accuracy(); m.macroF1(); m.perClass().get(1).recall(); m.count(1, 0);   // spam predicted as ham
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ClassificationMetrics {

    private final List<String> labels;
    private final long[][] confusion;
    private final long examples;
    private final long correct;
    private final List<ClassMetrics> perClass;
    private final double macroF1;

    private ClassificationMetrics(List<String> labels, long[][] confusion) {
        this.labels = List.copyOf(labels);
        this.confusion = confusion;
        int c = labels.size();
        long n = 0;
        long right = 0;
        long[] support = new long[c];
        long[] predicted = new long[c];
        for (int g = 0; g < c; g++) {
            for (int p = 0; p < c; p++) {
                n += confusion[g][p];
                support[g] += confusion[g][p];
                predicted[p] += confusion[g][p];
            }
            right += confusion[g][g];
        }
        this.examples = n;
        this.correct = right;
        List<ClassMetrics> classes = new ArrayList<>(c);
        double f1Sum = 0;
        int counted = 0;
        for (int k = 0; k < c; k++) {
            double precision = ratio(confusion[k][k], predicted[k]);
            double recall = ratio(confusion[k][k], support[k]);
            double f1 = ratio(2 * confusion[k][k], support[k] + predicted[k]);
            classes.add(new ClassMetrics(labels.get(k), precision, recall, f1, support[k], predicted[k]));
            if (support[k] > 0 || predicted[k] > 0) {
                f1Sum += f1;
                counted++;
            }
        }
        this.perClass = List.copyOf(classes);
        this.macroF1 = counted == 0 ? 0 : f1Sum / counted;
    }

    /**
     * Scores predictions against gold labels.
     *
     * @param gold the true class of each example
     * @param predicted the predicted class of each example, aligned with {@code gold}
     * @param labels the class names, indexed by class id
     * @return the metrics
     * @throws IllegalArgumentException when the arrays differ in length, are empty, or hold a class outside
     *     {@code [0, labels.size())} (the message names the example)
     */
    public static ClassificationMetrics compute(int[] gold, int[] predicted, List<String> labels) {
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(predicted, "predicted");
        return compute(gold.length, i -> gold[i], predicted.length, i -> predicted[i], labels);
    }

    /**
     * Scores predictions against gold labels given as {@code long} class ids, the type DJL's {@code argMax} and
     * batch labels come in.
     *
     * @param gold the true class of each example
     * @param predicted the predicted class of each example, aligned with {@code gold}
     * @param labels the class names, indexed by class id
     * @return the metrics
     * @throws IllegalArgumentException when the arrays differ in length, are empty, or hold a class outside
     *     {@code [0, labels.size())} (the message names the example)
     */
    public static ClassificationMetrics compute(long[] gold, long[] predicted, List<String> labels) {
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(predicted, "predicted");
        return compute(gold.length, i -> gold[i], predicted.length, i -> predicted[i], labels);
    }

    private static ClassificationMetrics compute(int goldCount, IntToLongFunction gold, int predictedCount,
            IntToLongFunction predicted, List<String> labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels must name at least one class");
        }
        if (goldCount != predictedCount) {
            throw new IllegalArgumentException("gold has " + goldCount + " labels but predicted has "
                    + predictedCount);
        }
        if (goldCount == 0) {
            throw new IllegalArgumentException("cannot score zero examples");
        }
        int c = labels.size();
        long[][] confusion = new long[c][c];
        for (int i = 0; i < goldCount; i++) {
            long g = gold.applyAsLong(i);
            long p = predicted.applyAsLong(i);
            if (g < 0 || g >= c) {
                throw new IllegalArgumentException("gold[" + i + "] = " + g + " must be a class in [0, " + c + ")");
            }
            if (p < 0 || p >= c) {
                throw new IllegalArgumentException("predicted[" + i + "] = " + p + " must be a class in [0, " + c
                        + ")");
            }
            confusion[(int) g][(int) p]++;
        }
        return new ClassificationMetrics(labels, confusion);
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }

    /**
     * Returns the class names, indexed by class id.
     *
     * @return an unmodifiable list
     */
    public List<String> labels() {
        return labels;
    }

    /**
     * Returns the number of scored examples.
     *
     * @return the total of the confusion matrix
     */
    public long examples() {
        return examples;
    }

    /**
     * Returns the number of examples predicted right.
     *
     * @return the trace of the confusion matrix
     */
    public long correct() {
        return correct;
    }

    /**
     * Returns the share of examples predicted right.
     *
     * @return {@code correct() / examples()}
     */
    public double accuracy() {
        return (double) correct / examples;
    }

    /**
     * Returns the macro-averaged F1 (see the class comment for which classes count).
     *
     * @return the mean per-class F1
     */
    public double macroF1() {
        return macroF1;
    }

    /**
     * Returns the scores of every class, in class-id order (classes absent from data and predictions included,
     * with zeros).
     *
     * @return an unmodifiable list, one entry per label
     */
    public List<ClassMetrics> perClass() {
        return perClass;
    }

    /**
     * Returns how many examples of one class were predicted as another.
     *
     * @param goldClass the true class (row)
     * @param predictedClass the predicted class (column)
     * @return the confusion-matrix cell
     */
    public long count(int goldClass, int predictedClass) {
        return confusion[goldClass][predictedClass];
    }

    /**
     * Returns the confusion matrix: rows are true classes, columns predicted classes, both in class-id order.
     *
     * @return a new C x C array
     */
    public long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /**
     * Tells whether another object holds the same labels and confusion matrix (and so every score).
     *
     * @param o the other object
     * @return true for equal metrics
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationMetrics m && labels.equals(m.labels) && Arrays.deepEquals(confusion,
                m.confusion);
    }

    /**
     * Returns a hash of the labels and the confusion matrix.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return 31 * labels.hashCode() + Arrays.deepHashCode(confusion);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "ClassificationMetrics[examples=%d, accuracy=%.4f, macroF1=%.4f]",
                examples, accuracy(), macroF1);
    }
}
