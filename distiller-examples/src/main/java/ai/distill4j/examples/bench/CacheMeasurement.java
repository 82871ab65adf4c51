package ai.distill4j.examples.bench;

/**
 * Epoch times of the teacher-output cache experiment.
 *
 * @param cached whether the teacher's outputs were cached
 * @param batches batches per epoch
 * @param epochMs milliseconds per epoch
 * @param peakRssMb the process's peak resident set after the run, megabytes
 * @since 0.1.0
 */
public record CacheMeasurement(boolean cached, int batches, double[] epochMs, double peakRssMb) {

    /**
     * Returns each epoch's time relative to the first.
     *
     * @return {@code epochMs[e] / epochMs[0]}
     */
    public double[] ratioToFirst() {
        double[] r = new double[epochMs.length];
        for (int e = 0; e < r.length; e++) {
            r[e] = epochMs[e] / epochMs[0];
        }
        return r;
    }
}
