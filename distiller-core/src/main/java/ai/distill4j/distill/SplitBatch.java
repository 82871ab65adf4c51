package ai.distill4j.distill;

/**
 * A batch with separate inputs for the teacher and the student, for models with different tokenizers (TextBrewer's
 * {@code {'teacher': ..., 'student': ...}} batches). Give the teacher {@code model.onPart(SplitBatch::teacher)} and
 * the student {@code model.onPart(SplitBatch::student)} (and the same for their adaptors).
 *
 * @param teacher the teacher's batch
 * @param student the student's batch
 * @param <T> the teacher's batch type
 * @param <S> the student's batch type
 * @since 0.1.0
 */
public record SplitBatch<T, S>(T teacher, S student) {}
