package ai.distill4j.distill.adapt;

import ai.distill4j.model.bert.BertInputs;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.util.Arrays;
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
     * Copies a DJL {@link Batch} to the host, for {@link ai.distill4j.distill.DataSource#fromDataset}. The batch's
     * data holds, in order, the token ids {@code (B, S)}, optionally the attention mask {@code (B, S)} (all ones when
     * absent) and optionally the token type ids {@code (B, S)}; its labels, when present, hold one array: {@code (B)}
     * or {@code (B, 1)} row labels, or {@code (B, S)} token labels. Any integer or float type is accepted (values are
     * cast to INT64). The DJL batch is left open; its owner closes it.
     *
     * @param batch the DJL batch
     * @return the host batch
     * @throws IllegalArgumentException when the batch holds no data, more than three data arrays, more than one label
     *     array, or arrays whose shapes do not fit
     */
    public static BertBatch fromDjl(Batch batch) {
        NDList data = batch.getData();
        if (data == null || data.isEmpty() || data.size() > 3) {
            throw new IllegalArgumentException("a DJL batch for BERT holds 1 to 3 data arrays (input_ids, "
                    + "attention_mask, token_type_ids), got " + (data == null ? 0 : data.size()));
        }
        long[][] ids = hostMatrix(data.get(0), "input_ids");
        long[][] mask;
        if (data.size() > 1) {
            mask = hostMatrix(data.get(1), "attention_mask");
        } else {
            mask = new long[ids.length][ids.length == 0 ? 0 : ids[0].length];
            for (long[] row : mask) {
                Arrays.fill(row, 1L);
            }
        }
        long[][] types = data.size() > 2 ? hostMatrix(data.get(2), "token_type_ids") : null;
        NDList labelList = batch.getLabels();
        long[] labels = null;
        long[][] tokenLabels = null;
        if (labelList != null && !labelList.isEmpty()) {
            if (labelList.size() > 1) {
                throw new IllegalArgumentException(
                        "a DJL batch for BERT holds at most one label array, got " + labelList.size());
            }
            NDArray l = labelList.get(0);
            Shape shape = l.getShape();
            if (shape.dimension() == 1 || (shape.dimension() == 2 && shape.get(1) == 1 && ids[0].length != 1)) {
                labels = l.toType(DataType.INT64, false).toLongArray();
            } else {
                tokenLabels = hostMatrix(l, "token labels");
            }
        }
        return new BertBatch(ids, mask, types, labels, tokenLabels);
    }

    private static long[][] hostMatrix(NDArray array, String name) {
        Shape shape = array.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException(name + " has shape " + shape + ", expected (batch, sequence)");
        }
        int rows = Math.toIntExact(shape.get(0));
        int cols = Math.toIntExact(shape.get(1));
        long[] flat = array.toType(DataType.INT64, false).toLongArray();
        long[][] out = new long[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
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
