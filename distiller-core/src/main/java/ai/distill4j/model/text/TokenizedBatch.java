package ai.distill4j.model.text;

import ai.distill4j.model.bert.BertInputs;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * A tokenized batch as plain Java arrays, rectangular (B rows of S tokens), ready to become {@link BertInputs}.
 *
 * @param ids token ids, B x S
 * @param mask attention mask (1 token, 0 padding), B x S
 * @param types token type (segment) ids, B x S
 * @since 0.1.0
 */
public record TokenizedBatch(long[][] ids, long[][] mask, long[][] types) {

    /**
     * Checks that the three arrays have the same rectangular shape.
     *
     * @param ids token ids
     * @param mask attention mask
     * @param types token type ids
     * @throws IllegalArgumentException when the shapes differ or rows have different lengths
     */
    public TokenizedBatch {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(types, "types");
        if (mask.length != ids.length || types.length != ids.length) {
            throw new IllegalArgumentException("ids, mask and types must have the same number of rows, got "
                    + ids.length + ", " + mask.length + ", " + types.length);
        }
        int s = ids.length == 0 ? 0 : ids[0].length;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length != s || mask[i].length != s || types[i].length != s) {
                throw new IllegalArgumentException("row " + i + " has length " + ids[i].length + "/" + mask[i].length
                        + "/" + types[i].length + " but row 0 has " + s + "; pad the batch to one length");
            }
        }
    }

    /**
     * Returns the number of rows B.
     *
     * @return B
     */
    public int size() {
        return ids.length;
    }

    /**
     * Returns the padded sequence length S.
     *
     * @return S (0 for an empty batch)
     */
    public int sequenceLength() {
        return ids.length == 0 ? 0 : ids[0].length;
    }

    /**
     * Creates the (B, S) INT64 arrays in a manager (use the per-step manager: the forward pass's outputs attach to
     * the manager of the ids).
     *
     * @param manager the manager that will own the arrays
     * @return the model inputs
     */
    public BertInputs toInputs(NDManager manager) {
        Shape shape = new Shape(size(), sequenceLength());
        return new BertInputs(manager.create(flatten(ids), shape), manager.create(flatten(mask), shape),
                manager.create(flatten(types), shape));
    }

    private static long[] flatten(long[][] rows) {
        int s = rows.length == 0 ? 0 : rows[0].length;
        long[] out = new long[rows.length * s];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * s, s);
        }
        return out;
    }
}
