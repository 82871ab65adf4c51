package ai.distill4j.model.bert;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Everything one forward pass of {@link BertModel} produces. All arrays live in the manager of the inputs (the
 * per-step manager). L is the number of layers, B the batch, S the sequence length, A the heads, d the head size,
 * H the hidden size and C the number of labels.
 *
 * @param hiddenStates L + 1 arrays (B, S, H); [0] is the embedding output, [l] the output of layer l
 * @param attentionScores L arrays (B, A, S, S): {@code QK^T / sqrt(d) + (1 - mask) * finfo(float32).min}, before
 *     the softmax; empty when the forward pass was asked not to keep attention
 * @param attentionProbs L arrays (B, A, S, S): the softmax of the scores, before attention dropout; empty when the
 *     forward pass was asked not to keep attention
 * @param queries L arrays (B, A, S, d), empty unless requested
 * @param keys L arrays (B, A, S, d), empty unless requested
 * @param values L arrays (B, A, S, d), empty unless requested
 * @param pooledOutput (B, H) {@code tanh(dense(h_L[:, 0]))} for {@link BertHead#SEQUENCE_CLASSIFICATION}, else null
 * @param logits (B, C) for sequence classification, (B, S, C) for token classification, else null
 * @since 0.1.0
 */
public record BertOutput(
        List<NDArray> hiddenStates,
        List<NDArray> attentionScores,
        List<NDArray> attentionProbs,
        List<NDArray> queries,
        List<NDArray> keys,
        List<NDArray> values,
        NDArray pooledOutput,
        NDArray logits) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param hiddenStates L + 1 hidden states
     * @param attentionScores L score arrays
     * @param attentionProbs L probability arrays
     * @param queries L query arrays or none
     * @param keys L key arrays or none
     * @param values L value arrays or none
     * @param pooledOutput the pooled output or null
     * @param logits the logits or null
     */
    public BertOutput {
        hiddenStates = List.copyOf(hiddenStates);
        attentionScores = List.copyOf(attentionScores);
        attentionProbs = List.copyOf(attentionProbs);
        queries = List.copyOf(queries);
        keys = List.copyOf(keys);
        values = List.copyOf(values);
    }

    /**
     * Returns the output of the last layer, (B, S, H).
     *
     * @return {@code hiddenStates.get(L)}
     */
    public NDArray lastHiddenState() {
        return hiddenStates.get(hiddenStates.size() - 1);
    }

    /**
     * Returns the number of encoder layers that produced this output.
     *
     * @return L
     */
    public int numLayers() {
        return hiddenStates.size() - 1;
    }
}
