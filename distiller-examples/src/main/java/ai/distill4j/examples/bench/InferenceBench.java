package ai.distill4j.examples.bench;

import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

/**
 * Forward-pass latency of a model in inference mode (eval mode, gradients off): the median of {@code repeats} timed
 * calls after {@code warmup} untimed ones, each call in its own manager that is closed afterwards.
 *
 * @since 0.1.0
 */
public final class InferenceBench {

    /** Untimed calls before measuring. */
    public static final int WARMUP = 3;
    /** Timed calls. */
    public static final int REPEATS = 20;

    private InferenceBench() {}

    /**
     * Measures a model's forward latency on one batch.
     *
     * @param model the model
     * @param batch the inputs
     * @param manager the parent of the per-call managers
     * @param warmup untimed calls
     * @param repeats timed calls, {@code >= 1}
     * @return the median latency in milliseconds (input creation included)
     */
    public static double latencyMs(BertModel model, BertBatch batch, NDManager manager, int warmup, int repeats) {
        if (repeats < 1 || warmup < 0) {
            throw new IllegalArgumentException("latency: warmup = " + warmup + ", repeats = " + repeats
                    + ": need warmup >= 0 and repeats >= 1");
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            ParameterStore ps = new ParameterStore(manager, false);
            double[] ms = new double[repeats];
            for (int i = 0; i < warmup + repeats; i++) {
                try (NDManager call = manager.newSubManager()) {
                    long t0 = System.nanoTime();
                    BertInputs in = batch.toInputs(call);
                    model.infer(ps, in);
                    long t1 = System.nanoTime();
                    if (i >= warmup) {
                        ms[i - warmup] = (t1 - t0) / 1e6;
                    }
                }
            }
            return Stats.median(ms);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Measures teacher and student at batch 1 and at a larger batch, alternating the two models so that load
     * changes hit both alike.
     *
     * @param teacher the teacher
     * @param student the student
     * @param batchSize the larger batch (32 for KD-BENCH-1)
     * @param seqLength tokens per row
     * @param seed the seed of the random inputs
     * @param manager the parent of the per-call managers
     * @return the latencies
     */
    public static InferenceMeasurement compare(BertModel teacher, BertModel student, int batchSize, int seqLength,
            long seed, NDManager manager) {
        BertBatch one = KdBench1.batches(1, 1, seqLength, seed).get(0);
        BertBatch many = KdBench1.batches(1, batchSize, seqLength, seed + 1).get(0);
        double t1 = latencyMs(teacher, one, manager, WARMUP, REPEATS);
        double s1 = latencyMs(student, one, manager, WARMUP, REPEATS);
        double tb = latencyMs(teacher, many, manager, WARMUP, REPEATS);
        double sb = latencyMs(student, many, manager, WARMUP, REPEATS);
        return new InferenceMeasurement(batchSize, seqLength, t1, s1, tb, sb);
    }
}
