package ai.distill4j.examples.bench;

import ai.distill4j.distill.TeacherCacheConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@code distill4j bench} run measures besides training throughput.
 *
 * @param options the sizes of the training measurement
 * @param inference whether teacher and student forward latencies are measured
 * @param cacheEpochs epochs of the teacher-output cache experiment; 0 skips it, else {@code >= 2}
 * @param cacheBatches batches per epoch of the cache experiment, {@code >= 1}
 * @param cacheBaseline whether the cache experiment is also run without the cache, for comparison
 * @param rssEvery sample the resident set every this many training steps; 0 for never
 * @param profile where to write a Chrome trace of the timed training steps, or {@code null}
 * @param cache how the cache experiment stores the teacher's outputs
 * @since 0.1.0
 */
public record BenchPlan(
        BenchOptions options, boolean inference, int cacheEpochs, int cacheBatches, boolean cacheBaseline,
        int rssEvery, Path profile, TeacherCacheConfig cache) {

    /**
     * Validates the plan.
     *
     * @param options the sizes
     * @param inference latencies on/off
     * @param cacheEpochs cache experiment epochs
     * @param cacheBatches cache experiment batches
     * @param cacheBaseline uncached comparison on/off
     * @param rssEvery resident-set sampling interval
     * @param profile trace file or {@code null}
     * @param cache the cache storage of the cache experiment
     * @throws IllegalArgumentException naming the invalid value
     */
    public BenchPlan {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(cache, "cache");
        if (cacheEpochs != 0 && cacheEpochs < 2) {
            throw new IllegalArgumentException("cache-epochs = " + cacheEpochs + ": must be 0 (off) or >= 2");
        }
        if (cacheBatches < 1) {
            throw new IllegalArgumentException("cache-batches = " + cacheBatches + ": must be >= 1");
        }
        if (rssEvery < 0) {
            throw new IllegalArgumentException("rss-every = " + rssEvery + ": must be >= 0");
        }
    }

    /**
     * A plan that measures training only.
     *
     * @param options the sizes
     * @return the plan
     */
    public static BenchPlan trainingOnly(BenchOptions options) {
        return new BenchPlan(options, false, 0, 20, false, 0, null, TeacherCacheConfig.DEFAULT);
    }
}
