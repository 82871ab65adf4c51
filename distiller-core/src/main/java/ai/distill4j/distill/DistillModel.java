package ai.distill4j.distill;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * A model the training engine runs: a teacher or the student. It turns a host-side batch into NDArrays in the
 * step's manager and runs the forward pass; it names its parameters (the names checkpoints and the weight-decay
 * mask use); it saves and restores its weights.
 *
 * <p>The engine calls {@link #forward} with {@code training = false} for teachers (eval mode: no dropout) and
 * {@code training = true} for the student. Every array the forward pass creates must live in {@code manager}
 * (the per-step manager), never in the parameters' manager.
 *
 * @param <B> the batch type
 * @param <O> the model's output type
 * @since 0.1.0
 */
public interface DistillModel<B, O> {

    /**
     * Runs the forward pass.
     *
     * @param parameters the parameter store to read parameters through
     * @param batch the batch
     * @param manager the per-step manager that owns the inputs and every activation
     * @param training true for the student (dropout on), false for teachers (eval mode)
     * @return the outputs
     */
    O forward(ParameterStore parameters, B batch, NDManager manager, boolean training);

    /**
     * Returns the model's parameters by name, in a stable order.
     *
     * @return name to parameter
     */
    Map<String, Parameter> parameters();

    /**
     * Saves the weights into a folder (for BERT: the HuggingFace layout).
     *
     * @param dir the folder, created if needed
     * @throws IOException when writing fails
     */
    void save(Path dir) throws IOException;

    /**
     * Copies weights saved by {@link #save(Path)} back into this model's parameters.
     *
     * @param dir the folder
     * @throws IOException when reading fails or a tensor is missing or misshapen
     */
    void restore(Path dir) throws IOException;

    /**
     * Returns a view of this model that takes another batch type, e.g. the teacher's part of a batch that holds
     * separate teacher and student inputs.
     *
     * @param part extracts this model's batch from the outer batch
     * @param <C> the outer batch type
     * @return the view, sharing this model's parameters
     */
    default <C> DistillModel<C, O> onPart(Function<C, B> part) {
        DistillModel<B, O> self = this;
        return new DistillModel<>() {
            @Override
            public O forward(ParameterStore parameters, C batch, NDManager manager, boolean training) {
                return self.forward(parameters, part.apply(batch), manager, training);
            }

            @Override
            public Map<String, Parameter> parameters() {
                return self.parameters();
            }

            @Override
            public void save(Path dir) throws IOException {
                self.save(dir);
            }

            @Override
            public void restore(Path dir) throws IOException {
                self.restore(dir);
            }
        };
    }
}
