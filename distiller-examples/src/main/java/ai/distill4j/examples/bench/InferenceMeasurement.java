package ai.distill4j.examples.bench;

/**
 * Teacher and student forward latencies (medians, milliseconds).
 *
 * @param batchSize the larger batch
 * @param seqLength tokens per row
 * @param teacherMsB1 the teacher at batch 1
 * @param studentMsB1 the student at batch 1
 * @param teacherMsBatch the teacher at {@code batchSize}
 * @param studentMsBatch the student at {@code batchSize}
 * @since 0.1.0
 */
public record InferenceMeasurement(
        int batchSize,
        int seqLength,
        double teacherMsB1,
        double studentMsB1,
        double teacherMsBatch,
        double studentMsBatch) {

    /**
     * Returns how many times faster the student is at the larger batch.
     *
     * @return {@code teacherMsBatch / studentMsBatch}
     */
    public double speedup() {
        return teacherMsBatch / studentMsBatch;
    }
}
