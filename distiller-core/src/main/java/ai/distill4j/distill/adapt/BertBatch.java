package ai.distill4j.distill.adapt;

import ai.distill4j.model.bert.BertInputs;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Objects;

/**
 * A host-side batch of BERT inputs with optional gold labels, tokenized once up front. Arrays are created in the
 * step's manager only when the batch is used.
 *
 * @param inputIds token ids, {@code [B][S]}
 * @param attentionMask 1 for real tokens, 0 for padding, {@code [B][S]}
 * @param tokenTypeIds segment ids {@code [B][S]}, or {@code null} for all zeros
 * @param labels one class per row {@code [B]} (sequence classification), or {@code null}
 * @param tokenLabels one class per token {@code [B][S]} with -100 for ignored positions (token classification), or
 *     {@code null}
 * @since 0.1.0
 */
public record BertBatch(
        long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds, long[] labels, long[][] tokenLabels) {

    /**
     * Checks the shapes.
     *
     * @param inputIds token ids
     * @param attentionMask the mask
     * @param tokenTypeIds segment ids or null
     * @param labels row labels or null
     * @param tokenLabels token labels or null
     */
    public BertBatch {
        Objects.requireNonNull(inputIds, "inputIds");
        Objects.requireNonNull(attentionMask, "attentionMask");
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one row");
        }
        int s = inputIds[0].length;
        check(inputIds, inputIds.length, s, "input_ids");
        check(attentionMask, inputIds.length, s, "attention_mask");
        if (tokenTypeIds != null) {
            check(tokenTypeIds, inputIds.length, s, "token_type_ids");
        }
        if (tokenLabels != null) {
            check(tokenLabels, inputIds.length, s, "token labels");
        }
        if (labels != null && labels.length != inputIds.length) {
            throw new IllegalArgumentException(
                    "labels has " + labels.length + " rows but input_ids has " + inputIds.length);
        }
    }

    private static void check(long[][] a, int rows, int cols, String name) {
        if (a.length != rows) {
            throw new IllegalArgumentException(name + " has " + a.length + " rows, expected " + rows);
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != cols) {
                throw new IllegalArgumentException(
                        name + " row " + i + " has length " + a[i].length + ", expected " + cols
                                + " (rows must be padded to one length)");
            }
        }
    }

    /**
     * Stacks single examples into a batch (rows must already be padded to one length).
     *
     * @param rows the examples
     * @return the batch
     */
    public static BertBatch of(List<BertBatch> rows) {
        int n = 0;
        for (BertBatch r : rows) {
            n += r.size();
        }
        long[][] ids = new long[n][];
        long[][] mask = new long[n][];
        long[][] types = rows.get(0).tokenTypeIds == null ? null : new long[n][];
        long[] labels = rows.get(0).labels == null ? null : new long[n];
        long[][] tok = rows.get(0).tokenLabels == null ? null : new long[n][];
        int i = 0;
        for (BertBatch r : rows) {
            for (int k = 0; k < r.size(); k++, i++) {
                ids[i] = r.inputIds[k];
                mask[i] = r.attentionMask[k];
                if (types != null) {
                    types[i] = r.tokenTypeIds[k];
                }
                if (labels != null) {
                    labels[i] = r.labels[k];
                }
                if (tok != null) {
                    tok[i] = r.tokenLabels[k];
                }
            }
        }
        return new BertBatch(ids, mask, types, labels, tok);
    }

    /**
     * Returns the number of rows.
     *
     * @return {@code B}
     */
    public int size() {
        return inputIds.length;
    }

    /**
     * Returns the sequence length.
     *
     * @return {@code S}
     */
    public int sequenceLength() {
        return inputIds[0].length;
    }

    /**
     * Creates the model inputs in a manager.
     *
     * @param manager the step's manager
     * @return INT64 {@code (B, S)} arrays
     */
    public BertInputs toInputs(NDManager manager) {
        return new BertInputs(
                matrix(manager, inputIds), matrix(manager, attentionMask),
                tokenTypeIds == null ? null : matrix(manager, tokenTypeIds));
    }

    /**
     * Creates the row labels in a manager.
     *
     * @param manager the step's manager
     * @return INT64 {@code (B)}, or {@code null} without labels
     */
    public NDArray labelsArray(NDManager manager) {
        return labels == null ? null : manager.create(labels);
    }

    /**
     * Creates the token labels in a manager.
     *
     * @param manager the step's manager
     * @return INT64 {@code (B, S)}, or {@code null} without token labels
     */
    public NDArray tokenLabelsArray(NDManager manager) {
        return tokenLabels == null ? null : matrix(manager, tokenLabels);
    }

    /**
     * Creates the attention mask in a manager.
     *
     * @param manager the step's manager
     * @return INT64 {@code (B, S)}
     */
    public NDArray attentionMaskArray(NDManager manager) {
        return matrix(manager, attentionMask);
    }

    private static NDArray matrix(NDManager manager, long[][] rows) {
        int s = rows[0].length;
        long[] flat = new long[rows.length * s];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * s, s);
        }
        return manager.create(flat, new Shape(rows.length, s));
    }
}
