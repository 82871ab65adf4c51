package ai.distill4j.examples.multiteacher;

import ai.distill4j.distill.DistillModel;
import ai.distill4j.distill.adapt.BertBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs classifiers over labelled batches and combines their logits on the host: the evaluation side of the
 * multi-teacher and custom-model examples. Works for any {@link DistillModel}, BERT or not.
 *
 * @since 0.1.0
 */
public final class Logits {

    private Logits() {}

    /**
     * Runs a model in eval mode (no dropout) with gradients off, batch by batch, each batch in its own manager.
     *
     * @param model the model
     * @param logitsOf extracts the {@code (B, C)} logits from the model's output
     * @param batches the batches
     * @param <O> the model's output type
     * @return one row of logits per example, in batch order
     */
    public static <O> float[][] of(DistillModel<BertBatch, O> model, Function<O, NDArray> logitsOf,
            List<BertBatch> batches) {
        Objects.requireNonNull(model, "model");
        List<float[]> rows = new ArrayList<>();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            m.setName("logits");
            ParameterStore ps = new ParameterStore(m, false);
            for (BertBatch b : batches) {
                try (NDManager step = m.newSubManager()) {
                    NDArray logits = logitsOf.apply(model.forward(ps, b, step, false));
                    if (logits == null || logits.getShape().dimension() != 2) {
                        throw new IllegalStateException("the model returned no (B, C) logits");
                    }
                    int c = Math.toIntExact(logits.getShape().get(1));
                    float[] flat = logits.toFloatArray();
                    for (int i = 0; i < b.size(); i++) {
                        float[] row = new float[c];
                        System.arraycopy(flat, i * c, row, 0, c);
                        rows.add(row);
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return rows.toArray(new float[0][]);
    }

    /**
     * Returns the gold labels of labelled batches, in batch order.
     *
     * @param batches the batches
     * @return the labels
     * @throws IllegalArgumentException when a batch has no labels
     */
    public static long[] gold(List<BertBatch> batches) {
        List<Long> out = new ArrayList<>();
        for (BertBatch b : batches) {
            if (b.labels() == null) {
                throw new IllegalArgumentException("a batch has no labels");
            }
            for (long l : b.labels()) {
                out.add(l);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Averages the logits of several models element by element (the ensemble of TextBrewer's multi-teacher KD).
     *
     * @param members the logits of each model, all of one shape
     * @return the mean logits
     * @throws IllegalArgumentException when there are no members or their shapes differ
     */
    public static float[][] average(List<float[][]> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        int n = members.get(0).length;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            int c = members.get(0)[i].length;
            double[] sum = new double[c];
            for (float[][] m : members) {
                if (m.length != n || m[i].length != c) {
                    throw new IllegalArgumentException("ensemble members differ in shape");
                }
                for (int j = 0; j < c; j++) {
                    sum[j] += m[i][j];
                }
            }
            out[i] = new float[c];
            for (int j = 0; j < c; j++) {
                out[i][j] = (float) (sum[j] / members.size());
            }
        }
        return out;
    }

    /**
     * Returns the arg-max of each row (the lowest index on ties).
     *
     * @param logits the rows
     * @return the predicted classes
     */
    public static long[] argMax(float[][] logits) {
        long[] out = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int best = 0;
            for (int j = 1; j < logits[i].length; j++) {
                if (logits[i][j] > logits[i][best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Returns the share of rows on which two models predict the same class (arg-max).
     *
     * @param a one model's logits
     * @param b the other's, aligned
     * @return the agreement in [0, 1]
     * @throws IllegalArgumentException when the row counts differ or are 0
     */
    public static double agreement(float[][] a, float[][] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("agreement needs the same positive number of rows, got " + a.length
                    + " and " + b.length);
        }
        long[] pa = argMax(a);
        long[] pb = argMax(b);
        int same = 0;
        for (int i = 0; i < pa.length; i++) {
            if (pa[i] == pb[i]) {
                same++;
            }
        }
        return (double) same / pa.length;
    }
}
