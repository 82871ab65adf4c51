package ai.distill4j.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * One batch of token inputs, shaped (B, S) and typed INT64, as HuggingFace's {@code input_ids},
 * {@code attention_mask} and {@code token_type_ids}. Create them in the per-step manager: every output of the
 * forward pass attaches to the manager of {@code inputIds}.
 *
 * @param inputIds token ids, (B, S) INT64
 * @param attentionMask 1 for real tokens, 0 for padding, (B, S); null means all ones
 * @param tokenTypeIds segment ids, (B, S) INT64; null means all zeros
 * @since 0.1.0
 */
public record BertInputs(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {

    /**
     * Checks the shapes and types.
     *
     * @param inputIds token ids, (B, S) INT64
     * @param attentionMask the mask, (B, S), or null
     * @param tokenTypeIds segment ids, (B, S) INT64, or null
     * @throws IllegalArgumentException when a shape or type is wrong
     */
    public BertInputs {
        Objects.requireNonNull(inputIds, "inputIds");
        if (inputIds.getShape().dimension() != 2) {
            throw new IllegalArgumentException("inputIds must have shape (B, S), got " + inputIds.getShape());
        }
        if (inputIds.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException("inputIds must be INT64, got " + inputIds.getDataType());
        }
        if (attentionMask != null && !attentionMask.getShape().equals(inputIds.getShape())) {
            throw new IllegalArgumentException("attentionMask shape " + attentionMask.getShape()
                    + " differs from inputIds shape " + inputIds.getShape());
        }
        if (tokenTypeIds != null) {
            if (!tokenTypeIds.getShape().equals(inputIds.getShape())) {
                throw new IllegalArgumentException("tokenTypeIds shape " + tokenTypeIds.getShape()
                        + " differs from inputIds shape " + inputIds.getShape());
            }
            if (tokenTypeIds.getDataType() != DataType.INT64) {
                throw new IllegalArgumentException("tokenTypeIds must be INT64, got " + tokenTypeIds.getDataType());
            }
        }
    }

    /**
     * Reads inputs from a DJL list {@code [input_ids, attention_mask?, token_type_ids?]}.
     *
     * @param list one to three arrays
     * @return the inputs
     */
    public static BertInputs of(NDList list) {
        if (list.isEmpty() || list.size() > 3) {
            throw new IllegalArgumentException(
                    "BERT expects [input_ids, attention_mask?, token_type_ids?], got " + list.size() + " arrays");
        }
        return new BertInputs(list.get(0), list.size() > 1 ? list.get(1) : null, list.size() > 2 ? list.get(2) : null);
    }

    /**
     * Returns the batch size B.
     *
     * @return B
     */
    public long batchSize() {
        return inputIds.getShape().get(0);
    }

    /**
     * Returns the sequence length S.
     *
     * @return S
     */
    public long sequenceLength() {
        return inputIds.getShape().get(1);
    }
}
