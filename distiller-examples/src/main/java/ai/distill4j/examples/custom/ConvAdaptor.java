package ai.distill4j.examples.custom;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.adapt.Adaptor;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.FeatureShape;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;

/**
 * The adaptor of a {@link ConvTextClassifier}: tells the engine where its logits, labels, loss, mask and features
 * are. This is TextBrewer's adaptor function written for a model the framework does not know.
 *
 * <ul>
 *   <li>{@code logits}: the classifier's {@code (B, C)} scores; {@code labels}: the batch's labels;
 *   <li>{@code losses}: the cross-entropy against the labels (the hard-label term);
 *   <li>{@code inputs_mask}: the attention mask of the batch;
 *   <li>{@code sentence}: one entry, the max-pooled convolution features {@code (B, F)}, which an intermediate match
 *       can align with the teacher's pooled sentence vector through a projection.
 * </ul>
 *
 * @since 0.1.0
 */
public final class ConvAdaptor implements Adaptor<BertBatch, ConvOutput> {

    private final int filters;

    /**
     * Creates the adaptor.
     *
     * @param config the model's config (for the feature layout)
     */
    public ConvAdaptor(ConvTextConfig config) {
        this.filters = config.filters();
    }

    /** {@inheritDoc} */
    @Override
    public AdaptedOutput adapt(BertBatch batch, ConvOutput output, NDManager manager) {
        AdaptedOutput.Builder b = AdaptedOutput.builder()
                .addLogits(output.logits())
                .inputsMask(batch.attentionMaskArray(manager))
                .feature("sentence", List.of(output.textVector()));
        NDArray labels = batch.labelsArray(manager);
        if (labels != null) {
            b.addLabels(labels);
            b.addLoss(BertAdaptor.crossEntropy(output.logits(), labels));
        }
        return b.build();
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, FeatureShape> layout() {
        return Map.of("sentence", new FeatureShape(1, filters));
    }
}
