package ai.distill4j.examples.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The reference throughput for model-FLOPs utilisation: a float32 {@code (4096 x 384) x (384 x 1536)} matrix product
 * (the shape of BERT-MiniLM's feed-forward layer at 32 x 128 tokens), measured in this process with the current
 * thread count; 5 warm-up calls, then the median of 20.
 *
 * @since 0.1.0
 */
public final class GemmPeak {

    /** Rows of the left operand. */
    public static final int M = 4096;
    /** Columns of the left operand, rows of the right. */
    public static final int K = 384;
    /** Columns of the right operand. */
    public static final int N = 1536;
    /** Untimed calls before measuring. */
    public static final int WARMUP = 5;
    /** Timed calls. */
    public static final int REPEATS = 20;

    private GemmPeak() {}

    /**
     * Measures the peak.
     *
     * @param manager a manager for the operands (a sub-manager is used and closed)
     * @return GFLOP/s of the median call
     */
    public static double measure(NDManager manager) {
        return measure(manager, WARMUP, REPEATS);
    }

    /**
     * Measures the peak with chosen repeat counts.
     *
     * @param manager a manager for the operands (a sub-manager is used and closed)
     * @param warmup untimed calls
     * @param repeats timed calls, {@code >= 1}
     * @return GFLOP/s of the median call
     */
    public static double measure(NDManager manager, int warmup, int repeats) {
        return run(manager, warmup, repeats).gflops();
    }

    /**
     * The result of a measurement.
     *
     * @param gflops GFLOP/s of the median call (wall clock)
     * @param gflopsPerCpuSecond the timed calls' FLOPs over the process CPU time they took (all threads), in GFLOP per
     *     CPU-second; unlike wall-clock rates it hardly changes when other processes compete for the cores; NaN
     *     where CPU time is unavailable
     */
    public record Result(double gflops, double gflopsPerCpuSecond) {}

    /**
     * Measures the peak, with the process CPU time of the timed calls.
     *
     * @param manager a manager for the operands (a sub-manager is used and closed)
     * @param warmup untimed calls
     * @param repeats timed calls, {@code >= 1}
     * @return the result
     */
    public static Result run(NDManager manager, int warmup, int repeats) {
        if (repeats < 1 || warmup < 0) {
            throw new IllegalArgumentException("gemm peak: warmup = " + warmup + ", repeats = " + repeats
                    + ": need warmup >= 0 and repeats >= 1");
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(M, K));
            NDArray b = m.randomUniform(-1f, 1f, new Shape(K, N));
            for (int i = 0; i < warmup; i++) {
                a.matMul(b).close();
            }
            double[] seconds = new double[repeats];
            long cpu0 = ProcessMemory.cpuNanos();
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                c.close();
            }
            long cpu1 = ProcessMemory.cpuNanos();
            double cpuGflops = cpu0 < 0 ? Double.NaN : flops() * repeats / ((cpu1 - cpu0) / 1e9) / 1e9;
            return new Result(flops() / Stats.median(seconds) / 1e9, cpuGflops);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Returns the FLOPs of one product.
     *
     * @return {@code 2·M·K·N}
     */
    public static double flops() {
        return 2.0 * M * K * N;
    }
}
