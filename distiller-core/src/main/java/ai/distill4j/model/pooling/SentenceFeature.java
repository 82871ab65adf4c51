package ai.distill4j.model.pooling;

import ai.distill4j.model.bert.BertOutput;
import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * The sentence vector of a BERT forward pass: its last hidden state pooled over the valid tokens. This is what a
 * distillation adaptor exposes as the feature {@code sentence} ({@code (B, H)}, one entry), so that the sentence
 * losses ({@code embedding_mse}, {@code similarity_matrix}, {@code contrastive}, {@code simcse}) can match teacher
 * and student vectors.
 *
 * <pre>{@code
 * SentenceFeature sentence = SentenceFeature.of(Pooling.mean());
 * NDArray v = sentence.compute(output, attentionMask);   // (B, H), differentiable, in the step's manager
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SentenceFeature {

    /** The feature name adaptors use. */
    public static final String NAME = "sentence";

    private final Pooling pooling;

    private SentenceFeature(Pooling pooling) {
        this.pooling = Objects.requireNonNull(pooling, "pooling");
    }

    /**
     * Creates the feature for a pooling.
     *
     * @param pooling the pooling (the teacher's pooling when its vectors are matched directly)
     * @return the feature
     */
    public static SentenceFeature of(Pooling pooling) {
        return new SentenceFeature(pooling);
    }

    /**
     * Returns the pooling.
     *
     * @return the pooling
     */
    public Pooling pooling() {
        return pooling;
    }

    /**
     * Computes the sentence vectors of a forward pass. The result keeps the autograd graph (for the student) and
     * attaches to the manager of the hidden states (the step's manager).
     *
     * @param output the model's output
     * @param attentionMask the mask the model saw, {@code (B, S)}, 1 valid, 0 padding
     * @return {@code (B, H)}
     * @throws IllegalArgumentException when the mask does not fit the hidden states
     */
    public NDArray compute(BertOutput output, NDArray attentionMask) {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(attentionMask, "attentionMask");
        return pooling.apply(output.lastHiddenState(), attentionMask);
    }

    /**
     * Returns {@code sentence(<pooling>)}.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return NAME + "(" + pooling + ")";
    }
}
