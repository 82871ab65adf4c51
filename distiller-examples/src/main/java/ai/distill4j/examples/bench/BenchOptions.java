package ai.distill4j.examples.bench;

/**
 * The sizes of a benchmark run.
 *
 * @param steps timed optimizer steps ({@code >= 0}; 0 skips the training measurement)
 * @param warmup untimed steps before them ({@code >= 0})
 * @param threads PyTorch intra-op threads ({@code >= 1})
 * @param batchSize rows per batch ({@code >= 1})
 * @param seqLength tokens per row, 1 to 512
 * @param seed the seed of the random batches and of the run
 * @since 0.1.0
 */
public record BenchOptions(int steps, int warmup, int threads, int batchSize, int seqLength, long seed) {

    /** KD-BENCH-1's defaults: 20 timed steps after 3 warm-up steps, 2 threads, batch 32 x 128. */
    public static final BenchOptions DEFAULTS = new BenchOptions(20, 3, 2, 32, 128, 0);

    /**
     * Validates the sizes.
     *
     * @param steps timed steps
     * @param warmup warm-up steps
     * @param threads threads
     * @param batchSize rows per batch
     * @param seqLength tokens per row
     * @param seed the seed
     * @throws IllegalArgumentException naming the invalid value
     */
    public BenchOptions {
        check(steps >= 0, "steps", steps, "must be >= 0");
        check(warmup >= 0, "warmup", warmup, "must be >= 0");
        check(threads >= 1, "threads", threads, "must be >= 1");
        check(batchSize >= 1, "batch", batchSize, "must be >= 1");
        check(seqLength >= 1 && seqLength <= 512, "seq", seqLength, "must be in [1, 512]");
    }

    private static void check(boolean ok, String field, int value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " = " + value + ": " + rule);
        }
    }

    /**
     * Returns the total number of optimizer steps of the training run.
     *
     * @return {@code warmup + steps}
     */
    public int totalSteps() {
        return warmup + steps;
    }
}
