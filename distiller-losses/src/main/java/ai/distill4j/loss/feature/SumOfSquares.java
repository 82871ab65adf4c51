package ai.distill4j.loss.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * {@code sum(d^2)} written as the square of the 2-norm, for the large squared-error losses.
 *
 * <p>Why: PyTorch's {@code square()} is {@code pow(d, 2)}, whose backward pass computes {@code 2 * pow(d, 1) * grad}
 * with a generic power kernel; on attention-sized maps ({@code 32 x 12 x 128 x 128}) that backward cost more than the
 * forward pass of a whole attention loss. The norm reads {@code d} once forward and its backward is one scaled copy
 * ({@code d * grad / |d|}, defined as 0 when {@code |d| = 0}). Values agree with {@code d.square().sum()} to float
 * rounding (a relative 1e-7 in float32).
 */
final class SumOfSquares {

    private SumOfSquares() {}

    /**
     * Returns {@code sum(d^2)} over every element.
     *
     * @param d any shape
     * @return a 0-d array of {@code d}'s type
     */
    static NDArray of(NDArray d) {
        NDArray norm = d.norm();
        return norm.mul(norm);
    }

    /**
     * Tells whether a 0/1 mask keeps every position, so that multiplying by it can be skipped.
     *
     * @param m the mask
     * @return true when its smallest element is 1
     */
    static boolean keepsAll(NDArray m) {
        return m.min().toType(DataType.FLOAT32, false).getFloat() >= 1f;
    }
}
