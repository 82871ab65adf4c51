package ai.distill4j.loss;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * An intermediate-match loss: compares features of aligned student and teacher layers (hidden states,
 * attention, query/key/value projections, sentence vectors).
 *
 * <p>{@code student} and {@code teacher} hold one tensor per aligned layer, as many as the loss's {@link #arity()}
 * allows. {@code mask} is the student's inputs mask {@code (B, L)} of 0/1 (1 = real token) or {@code null}; each
 * loss documents how it uses it. The result is a scalar. Implementations never build gradients for the teacher.
 *
 * @since 0.1.0
 */
public interface MatchLoss {

    /**
     * How many layers per side this loss takes.
     *
     * @return the arity
     */
    Arity arity();

    /**
     * Computes the loss.
     *
     * @param student the student's tensors, one per aligned layer
     * @param teacher the teacher's tensors, one per aligned layer
     * @param mask the inputs mask {@code (B, L)}, or {@code null} for none
     * @return a scalar
     */
    NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask);

    /** Builds a {@link MatchLoss} from its arguments. */
    @FunctionalInterface
    interface Factory {
        /**
         * Creates the loss.
         *
         * @param args the loss arguments
         * @return the loss
         */
        MatchLoss create(LossArgs args);
    }
}
