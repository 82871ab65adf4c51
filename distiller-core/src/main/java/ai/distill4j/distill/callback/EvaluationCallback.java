package ai.distill4j.distill.callback;

import ai.distill4j.distill.DistillModel;
import java.util.Map;

/**
 * Evaluates the student at each checkpoint and returns named metrics (for example {@code accuracy}). The metrics
 * are written to {@code eval.jsonl}, kept in the run's history, and drive best-model saving and early stopping.
 *
 * <p>The student must be run in eval mode ({@code training = false}) and its weights left unchanged.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EvaluationCallback {

    /**
     * Evaluates the student.
     *
     * @param student the student model
     * @param step the global optimizer step
     * @return metrics by name
     * @throws Exception when evaluation fails; training stops with the error
     */
    Map<String, Double> evaluate(DistillModel<?, ?> student, int step) throws Exception;
}
