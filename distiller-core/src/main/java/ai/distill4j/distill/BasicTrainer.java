package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.config.TrainingConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;

/**
 * Supervised training without a teacher (TextBrewer's {@code BasicTrainer}, used to train teachers): the loss is
 * {@code Σ_j mean(losses_j)} from the adaptor's {@code losses}. Only {@code total_loss} is logged.
 *
 * @param <B> the batch type
 * @since 0.1.0
 */
public class BasicTrainer<B> extends Distiller<B> {

    private final AdaptedModel<B> model;
    private final ParameterStore store;

    /**
     * Creates the trainer.
     *
     * @param trainingConfig the training config
     * @param model the model to train and its adaptor (which must return {@code losses})
     */
    public BasicTrainer(TrainingConfig trainingConfig, AdaptedModel<B> model) {
        super(trainingConfig, model.model(), List.of());
        this.model = model;
        this.store = new ParameterStore(manager, false);
    }

    /** {@inheritDoc} */
    @Override
    protected Object teacherForward(B batch, StepContext ctx) {
        return null;
    }

    /** {@inheritDoc} */
    @Override
    protected LossTerms studentLoss(B batch, Object teacher, StepContext ctx) {
        AdaptedOutput out = model.forward(store, batch, ctx.manager(), true);
        if (out.losses().isEmpty()) {
            throw new IllegalStateException("'losses' is not in the output of the adaptor: nothing to optimize");
        }
        NDArray total = null;
        for (NDArray l : out.losses()) {
            NDArray mean = l.getShape().dimension() == 0 ? l : l.mean();
            total = total == null ? mean : total.add(mean);
        }
        return new LossTerms(total, Map.of());
    }
}
