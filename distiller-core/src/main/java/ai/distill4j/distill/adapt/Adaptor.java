package ai.distill4j.distill.adapt;

import ai.djl.ndarray.NDManager;

/**
 * Turns a model's output into what distillation needs (TextBrewer's {@code adaptor(batch, model_outputs)}).
 *
 * <p>It is called with the batch exactly as the model received it (after the batch post-processor). Arrays it
 * creates (labels, masks) must be created in {@code manager}, the step's manager.
 *
 * @param <B> the batch type
 * @param <O> the model's output type
 * @since 0.1.0
 */
@FunctionalInterface
public interface Adaptor<B, O> {

    /**
     * Adapts one output.
     *
     * @param batch the batch the model saw
     * @param output the model's output
     * @param manager the step's manager
     * @return the adapted output
     */
    AdaptedOutput adapt(B batch, O output, NDManager manager);

    /**
     * Describes the feature lists this adaptor produces, for validating intermediate matches before training:
     * feature name to (number of entries, width of each entry). Empty when unknown (then an index out of range is
     * reported at the first batch).
     *
     * @return the layout
     */
    default java.util.Map<String, FeatureShape> layout() {
        return java.util.Map.of();
    }

    /**
     * Returns a view of this adaptor that takes another batch type (see {@code DistillModel.onPart}).
     *
     * @param part extracts this adaptor's batch from the outer batch
     * @param <C> the outer batch type
     * @return the view
     */
    default <C> Adaptor<C, O> onPart(java.util.function.Function<C, B> part) {
        Adaptor<B, O> self = this;
        return new Adaptor<>() {
            @Override
            public AdaptedOutput adapt(C batch, O output, NDManager manager) {
                return self.adapt(part.apply(batch), output, manager);
            }

            @Override
            public java.util.Map<String, FeatureShape> layout() {
                return self.layout();
            }
        };
    }
}
