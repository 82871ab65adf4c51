package ai.distill4j.distill;

/**
 * A batch of one task in multi-task distillation.
 *
 * @param task the task name
 * @param batch the task's batch
 * @param <B> the batch type
 * @since 0.1.0
 */
public record TaskBatch<B>(String task, B batch) {}
