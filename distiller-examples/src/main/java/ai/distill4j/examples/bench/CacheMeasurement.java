package ai.distill4j.examples.bench;

import ai.distill4j.distill.TeacherCacheConfig;

/**
 * Epoch times of the teacher-output cache experiment.
 *
 * @param cache how the teacher's outputs were cached, {@code null} for no cache
 * @param batches batches per epoch
 * @param epochMs wall-clock milliseconds per epoch
 * @param epochCpuMs process CPU milliseconds per epoch (all threads; NaN where unavailable)
 * @param cacheBytes bytes the cache held at the end
 * @param peakRssMb the process's peak resident set after the run, megabytes
 * @since 0.1.0
 */
public record CacheMeasurement(
        TeacherCacheConfig cache, int batches, double[] epochMs, double[] epochCpuMs, long cacheBytes,
        double peakRssMb) {

    /**
     * Returns each epoch's wall-clock time relative to the first.
     *
     * @return {@code epochMs[e] / epochMs[0]}
     */
    public double[] ratioToFirst() {
        return ratios(epochMs);
    }

    /**
     * Returns each epoch's CPU time relative to the first.
     *
     * @return {@code epochCpuMs[e] / epochCpuMs[0]}
     */
    public double[] cpuRatioToFirst() {
        return ratios(epochCpuMs);
    }

    private static double[] ratios(double[] v) {
        double[] r = new double[v.length];
        for (int e = 0; e < r.length; e++) {
            r[e] = v[e] / v[0];
        }
        return r;
    }
}
