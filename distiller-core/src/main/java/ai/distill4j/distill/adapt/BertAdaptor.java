package ai.distill4j.distill.adapt;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ready adaptor for the project's BERT ({@link BertOutput}):
 *
 * <ul>
 *   <li>{@code logits}: the head's logits; for token classification also {@code logits_mask} = attention mask;
 *   <li>{@code labels}: the batch's labels (row labels, or token labels for token classification);
 *   <li>{@code losses}: optionally the cross-entropy of the logits against the labels (the hard-label loss; ignored
 *       token labels are -100);
 *   <li>{@code inputs_mask}: the attention mask;
 *   <li>{@code hidden}: [embedding output, layer 1, ..., layer N];
 *   <li>{@code attention}: [layer 1, ..., layer N], as pre-softmax scores (additive mask included) or probabilities;
 *   <li>{@code query}/{@code key}/{@code value}: per layer {@code (B, A, S, d)} when the model returns them;
 *   <li>{@code sentence}: one {@code (B, H)} vector per row, by the chosen pooling.
 * </ul>
 *
 * @since 0.1.0
 */
public final class BertAdaptor implements Adaptor<BertBatch, BertOutput> {

    /** Which attention maps the adaptor returns. */
    public enum Attention {
        /** Pre-softmax scores {@code QKᵀ/√d + (1 − mask)·finfo.min} (what TextBrewer's CE variants expect). */
        SCORES,
        /** Softmax probabilities. */
        PROBS
    }

    /** How the {@code sentence} feature is pooled. */
    public enum SentencePooling {
        /** Masked mean of the last hidden states (Sentence-Transformers' default). */
        MEAN,
        /** The last hidden state of the first token. */
        CLS,
        /** The pooler output ({@code tanh(dense(CLS))}); falls back to CLS when the model has no pooler. */
        POOLER
    }

    private final Attention attention;
    private final boolean hardLabelLoss;
    private final SentencePooling pooling;
    private final Map<String, FeatureShape> layout;

    /**
     * Creates the adaptor.
     *
     * @param config the model's config (for the feature layout), or {@code null} when unknown
     * @param attention scores or probabilities
     * @param hardLabelLoss whether {@code losses} carries the cross-entropy against the batch's labels
     * @param pooling how the sentence vector is pooled
     */
    public BertAdaptor(BertConfig config, Attention attention, boolean hardLabelLoss, SentencePooling pooling) {
        this.attention = attention;
        this.hardLabelLoss = hardLabelLoss;
        this.pooling = pooling;
        Map<String, FeatureShape> l = new LinkedHashMap<>();
        if (config != null) {
            int layers = config.numHiddenLayers();
            l.put("hidden", new FeatureShape(layers + 1, config.hiddenSize()));
            l.put("attention", new FeatureShape(layers, config.numAttentionHeads()));
            l.put("query", new FeatureShape(layers, config.hiddenSize()));
            l.put("key", new FeatureShape(layers, config.hiddenSize()));
            l.put("value", new FeatureShape(layers, config.hiddenSize()));
            l.put("sentence", new FeatureShape(1, config.hiddenSize()));
        }
        this.layout = Map.copyOf(l);
    }

    /**
     * Creates the adaptor for a model: attention as chosen, mean pooling.
     *
     * @param model the model
     * @param attention scores or probabilities
     * @param hardLabelLoss whether {@code losses} carries the cross-entropy against the labels
     * @return the adaptor
     */
    public static BertAdaptor forModel(BertModel model, Attention attention, boolean hardLabelLoss) {
        return new BertAdaptor(model.config(), attention, hardLabelLoss, SentencePooling.MEAN);
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, FeatureShape> layout() {
        return layout;
    }

    /** {@inheritDoc} */
    @Override
    public AdaptedOutput adapt(BertBatch batch, BertOutput out, NDManager manager) {
        AdaptedOutput.Builder b = AdaptedOutput.builder();
        NDArray mask = batch.attentionMaskArray(manager);
        b.inputsMask(mask);
        NDArray logits = out.logits();
        if (logits != null) {
            b.addLogits(logits);
            boolean tokens = logits.getShape().dimension() == 3;
            if (tokens) {
                b.addLogitsMask(mask);
            }
            NDArray labels = tokens ? batch.tokenLabelsArray(manager) : batch.labelsArray(manager);
            if (labels != null) {
                b.addLabels(labels);
                if (hardLabelLoss) {
                    b.addLoss(crossEntropy(logits, labels));
                }
            } else if (hardLabelLoss) {
                throw new IllegalStateException(
                        "hard_label_loss is \"ce\" but the batch has no " + (tokens ? "token labels" : "labels"));
            }
        }
        b.hidden(out.hiddenStates());
        b.attention(attention == Attention.SCORES ? out.attentionScores() : out.attentionProbs());
        if (!out.queries().isEmpty()) {
            b.feature("query", out.queries());
            b.feature("key", out.keys());
            b.feature("value", out.values());
        }
        b.feature("sentence", List.of(sentence(out, mask)));
        return b.build();
    }

    private NDArray sentence(BertOutput out, NDArray mask) {
        NDArray last = out.lastHiddenState();
        switch (pooling) {
            case POOLER:
                if (out.pooledOutput() != null) {
                    return out.pooledOutput();
                }
                return last.get(":, 0, :");
            case CLS:
                return last.get(":, 0, :");
            default:
                NDArray m = mask.toType(last.getDataType(), false).expandDims(2);
                return last.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1e-9f));
        }
    }

    /**
     * The mean cross-entropy of logits against labels, as {@code torch.nn.CrossEntropyLoss}: rows {@code (N, C)}
     * with labels {@code (N)}, or tokens {@code (B, S, C)} with labels {@code (B, S)} where -100 is ignored.
     *
     * @param logits the logits
     * @param labels integer labels
     * @return a scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        long c = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray logp = logits.logSoftmax(-1);
        NDArray valid = labels.gte(0);
        NDArray safe = labels.maximum(0L).toType(DataType.INT64, false);
        NDArray picked = logp.mul(safe.oneHot((int) c, DataType.FLOAT32)).sum(new int[] {-1});
        if (logits.getShape().dimension() == 2 && labels.getShape().dimension() == 1) {
            return picked.mean().neg();
        }
        NDArray v = valid.toType(logp.getDataType(), false);
        return picked.mul(v).sum().div(v.sum()).neg();
    }

    /**
     * Tells whether the model has a classification head.
     *
     * @param model the model
     * @return true unless the head is {@link BertHead#NONE}
     */
    public static boolean hasLogits(BertModel model) {
        return model.head() != BertHead.NONE;
    }
}
