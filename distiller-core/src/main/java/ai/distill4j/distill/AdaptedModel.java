package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.adapt.Adaptor;
import ai.distill4j.distill.adapt.FeatureShape;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.Objects;

/**
 * A model together with its adaptor: what a distiller needs from a teacher or the student.
 *
 * @param <B> the batch type
 * @since 0.1.0
 */
public final class AdaptedModel<B> {

    private final DistillModel<B, ?> model;
    private final Forward<B> forward;
    private final Map<String, FeatureShape> layout;

    private interface Forward<B> {
        AdaptedOutput run(ParameterStore ps, B batch, NDManager manager, boolean training);
    }

    private AdaptedModel(DistillModel<B, ?> model, Forward<B> forward, Map<String, FeatureShape> layout) {
        this.model = model;
        this.forward = forward;
        this.layout = layout;
    }

    /**
     * Pairs a model with its adaptor.
     *
     * @param model the model
     * @param adaptor the adaptor of its outputs
     * @param <B> the batch type
     * @param <O> the output type
     * @return the pair
     */
    public static <B, O> AdaptedModel<B> of(DistillModel<B, O> model, Adaptor<B, O> adaptor) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(adaptor, "adaptor");
        return new AdaptedModel<>(
                model,
                (ps, batch, manager, training) ->
                        adaptor.adapt(batch, model.forward(ps, batch, manager, training), manager),
                adaptor.layout());
    }

    /**
     * Returns the model.
     *
     * @return the model
     */
    public DistillModel<B, ?> model() {
        return model;
    }

    /**
     * Returns the adaptor's feature layout (empty when unknown).
     *
     * @return feature name to shape
     */
    public Map<String, FeatureShape> layout() {
        return layout;
    }

    /**
     * Runs the model and the adaptor.
     *
     * @param ps the parameter store
     * @param batch the batch
     * @param manager the step's manager
     * @param training the mode
     * @return the adapted output
     */
    public AdaptedOutput forward(ParameterStore ps, B batch, NDManager manager, boolean training) {
        return forward.run(ps, batch, manager, training);
    }
}
