package ai.distill4j.loss.relation;

import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;

/**
 * Arithmetic with Java numbers that keeps the array's dtype. ({@code x.div(double)} wraps the number in a float64
 * scalar, and for a 0-d {@code x} PyTorch's type promotion then turns a float32 result into float64.)
 */
final class Scalars {

    private Scalars() {}

    /**
     * Divides by a number, keeping the dtype of {@code x}.
     *
     * @param x any array
     * @param divisor the number
     * @return {@code x / divisor}
     */
    static NDArray divide(NDArray x, double divisor) {
        return x.div(GraphScalar.of(x, divisor));
    }
}
