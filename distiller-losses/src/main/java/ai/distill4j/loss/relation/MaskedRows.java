package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Row distributions restricted to a set of allowed columns, and the KL divergence between two of them.
 *
 * <p>Excluded columns get a bias of -1e9 before the log-softmax, so their probability is exactly 0 and their
 * log-probability stays finite (never a NaN from {@code 0 * -inf}). The bias is added, not substituted, because a
 * broadcast add over the small mask is much cheaper than a select over the full relation tensor; the price is that
 * a row with no allowed column at all is not uniform but arbitrary, so callers must give such rows weight 0 (the
 * row weights of every caller do).
 */
final class MaskedRows {

    /** The bias given to excluded columns. */
    static final double EXCLUDED = -1e9;

    private MaskedRows() {}

    /**
     * Log-probabilities of the rows of {@code logits} over the allowed columns only.
     *
     * @param logits any shape, rows along the last axis
     * @param allowed 0/1 in the dtype of {@code logits}, broadcastable to it (usually much smaller)
     * @return the same shape as {@code logits}
     */
    static NDArray logSoftmax(NDArray logits, NDArray allowed) {
        return logits.add(allowed.sub(1).mul(-EXCLUDED)).logSoftmax(-1);
    }

    /**
     * Row-wise {@code KL(P_t || P_s) = sum_j P_t(j) log P_t(j) - sum_j P_t(j) log P_s(j)} from log-probabilities.
     * The teacher's sum is a batched row dot product, which never materialises the element-wise product; the
     * student's is a multiply-then-sum, whose backward is one broadcast multiplication (the backward of a batched
     * row dot is a batch of tiny outer products, several times slower).
     *
     * @param logPs the student's log-probabilities
     * @param logPt the teacher's log-probabilities (a constant)
     * @return the shape of the inputs without the last axis
     */
    static NDArray kl(NDArray logPs, NDArray logPt) {
        Shape shape = logPs.getShape();
        long columns = shape.get(shape.dimension() - 1);
        long rows = shape.size() / columns;
        NDArray pt = logPt.exp();
        NDArray negativeEntropy = logPt.reshape(rows, 1, columns).batchMatMul(pt.reshape(rows, columns, 1))
                .reshape(shape.slice(0, shape.dimension() - 1));
        return negativeEntropy.sub(logPs.mul(pt).sum(new int[] {-1}));
    }

    /**
     * Validates an inputs mask and returns it as 0/1 values in the given dtype (all ones when absent).
     *
     * @param lossName the registry name, for messages
     * @param mask {@code (B, L)} or null
     * @param batch B
     * @param length L
     * @param like an array whose manager and dtype the result takes
     * @return {@code (B, L)}
     */
    static NDArray maskOrOnes(String lossName, NDArray mask, long batch, long length, NDArray like) {
        DataType type = like.getDataType();
        if (mask == null) {
            return like.getManager().ones(new Shape(batch, length), type);
        }
        Shape want = new Shape(batch, length);
        if (!mask.getShape().equals(want)) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs an inputs mask of shape " + want + " (batch, length), got "
                            + mask.getShape());
        }
        return mask.toType(type, false).gt(0).toType(type, false);
    }
}
