package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Row distributions restricted to a set of allowed columns, and the KL divergence between two of them.
 *
 * <p>Excluded columns are replaced (not offset) by a large negative constant before the log-softmax, so they get a
 * probability of exactly 0 and never a NaN, whatever the dtype; a row with no allowed column becomes uniform on
 * both sides and so contributes exactly 0 to the KL. Callers still multiply row sums by their row mask.
 */
final class MaskedRows {

    /** The logit given to excluded columns. */
    static final double EXCLUDED = -1e9;

    private MaskedRows() {}

    /**
     * Log-probabilities of the rows of {@code logits} over the allowed columns only.
     *
     * @param logits any shape, rows along the last axis
     * @param allowed boolean, broadcastable to {@code logits}
     * @return the same shape as {@code logits}
     */
    static NDArray logSoftmax(NDArray logits, NDArray allowed) {
        NDArray excluded = logits.getManager().create(EXCLUDED).toType(logits.getDataType(), false);
        NDArray condition = allowed.getShape().equals(logits.getShape()) ? allowed : allowed.broadcast(logits.getShape());
        return NDArrays.where(condition, logits, excluded).logSoftmax(-1);
    }

    /**
     * Row-wise {@code KL(P_t || P_s) = sum_j P_t(j) (log P_t(j) - log P_s(j))} from log-probabilities.
     *
     * @param logPs the student's log-probabilities
     * @param logPt the teacher's log-probabilities (a constant)
     * @return the shape of the inputs without the last axis
     */
    static NDArray kl(NDArray logPs, NDArray logPt) {
        return logPt.exp().mul(logPt.sub(logPs)).sum(new int[] {-1});
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
