package ai.distill4j.model.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The measured latency of a {@link TextClassifier} at one batch size: the median wall-clock time of a batch,
 * end to end (tokenization, forward pass, softmax), after warm-up runs.
 *
 * @param batchSize texts per call
 * @param runs the number of timed calls
 * @param medianMsPerBatch the median time of one call, in milliseconds
 * @since 0.1.0
 */
public record Latency(int batchSize, int runs, double medianMsPerBatch) {

    /**
     * Returns the median time per text.
     *
     * @return {@code medianMsPerBatch / batchSize}
     */
    public double msPerExample() {
        return medianMsPerBatch / batchSize;
    }

    /**
     * Times a classifier on batches cut from {@code texts} in order (wrapping around when the texts run out), so
     * batches carry the texts' natural mix of lengths: call {@code r} labels texts {@code r * batchSize ...}.
     *
     * @param classifier the classifier
     * @param texts the texts to cut batches from (at least one)
     * @param batchSize texts per call
     * @param warmups untimed calls first (JIT, allocator, thread pools)
     * @param runs timed calls, positive
     * @return the median
     * @throws IllegalArgumentException when {@code texts} is empty or a count is out of range
     */
    public static Latency measure(TextClassifier classifier, List<String> texts, int batchSize, int warmups,
            int runs) {
        Objects.requireNonNull(classifier, "classifier");
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("texts must hold at least one text to time");
        }
        if (batchSize <= 0 || warmups < 0 || runs <= 0) {
            throw new IllegalArgumentException("batchSize = " + batchSize + " and runs = " + runs
                    + " must be positive, warmups = " + warmups + " must be >= 0");
        }
        double[] ms = new double[runs];
        int next = 0;
        for (int r = -warmups; r < runs; r++) {
            List<String> batch = new ArrayList<>(batchSize);
            for (int j = 0; j < batchSize; j++) {
                batch.add(texts.get(next));
                next = (next + 1) % texts.size();
            }
            long t0 = System.nanoTime();
            classifier.predict(batch, batchSize);
            long t1 = System.nanoTime();
            if (r >= 0) {
                ms[r] = (t1 - t0) / 1e6;
            }
        }
        return new Latency(batchSize, runs, median(ms));
    }

    /**
     * Returns the median of some values (the mean of the two middle ones for an even count).
     *
     * @param values at least one value
     * @return the median
     */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values is undefined");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }
}
