package ai.distill4j.loss.feature;

import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * {@code sum(d^2)} for the large squared-error losses, with a backward pass of a single multiplication.
 *
 * <p>The value is the square of the 2-norm ({@code |d|^2}: one reading pass, a careful reduction). The gradient is
 * carried by a second term whose value is exactly zero: {@code 2 (D - stop(D))} with {@code D = dot(d, stop(d))}.
 * Its gradient is {@code 2 stop(d)}, the exact derivative of {@code sum(d^2)}, and PyTorch computes it as one scaled
 * copy of {@code d} ({@code dot}'s backward). The alternatives cost more on attention-sized maps
 * ({@code 32 x 12 x 128 x 128}): {@code square()} is {@code pow(d, 2)}, whose backward runs a generic power kernel,
 * and the norm's own backward divides {@code d} by the norm, masks a zero norm and multiplies by the incoming
 * gradient: three passes instead of one. {@code D} itself (a float dot product, less careful than the norm's
 * reduction) never reaches the value: {@code D - stop(D)} is 0 exactly, or NaN when {@code d} is not finite, which
 * the value already is then.
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
        NDArray value = norm.mul(norm).stopGradient();
        NDArray flat = d.reshape(-1);
        NDArray dot = flat.dot(flat.stopGradient());
        NDArray zero = dot.sub(dot.stopGradient()); // 0, with gradient stop(d)
        return value.add(zero.mul(GraphScalar.of(zero, 2))); // not mul(float): see GraphScalar
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
