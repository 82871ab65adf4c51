package ai.distill4j.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A 0-d array holding a constant, for arithmetic on arrays that take part in back-propagation.
 *
 * <p>Why not {@code x.mul(0.5f)}: DJL's PyTorch engine turns the number into a 0-d array whose memory is a Java direct
 * buffer (zero-copy {@code from_blob}) and closes it as soon as the operation returns. PyTorch's autograd keeps that
 * array for the backward pass of {@code mul}, {@code div}, {@code pow}, {@code maximum} and {@code minimum}, but
 * once it is closed nothing keeps the buffer alive, and a garbage collection between the forward and the backward
 * pass frees it: the backward pass then reads freed memory and the gradients come out wrong or NaN, at random
 * (measured: every run NaN within a few steps when collections are frequent). An array from {@link #of} is filled by
 * PyTorch ({@code torch::full}), so its memory belongs to PyTorch and is reference-counted like any other tensor:
 * closing it, or an {@code NDScope} closing it, before the backward pass is harmless.
 *
 * <p>Use it for every number combined with a gradient-carrying array by {@code mul}, {@code div}, {@code pow},
 * {@code maximum}, {@code minimum} and their in-place forms; {@code add} and {@code sub} keep no operand and are safe,
 * as is arithmetic on arrays without gradients (masks, teacher outputs).
 *
 * @since 0.1.0
 */
public final class GraphScalar {

    private GraphScalar() {}

    /**
     * Creates a constant for use with an array.
     *
     * @param like the array the constant is combined with; the constant takes its manager and data type, so put the
     *     activation first when the other operand is a parameter
     * @param value the constant, kept exactly for a float64 {@code like}, otherwise rounded as {@code (float) value}
     *     would be
     * @return a 0-d array of {@code like}'s type in {@code like}'s manager, its memory owned by PyTorch
     */
    public static NDArray of(NDArray like, double value) {
        NDManager manager = like.getManager();
        if (like.getDataType() == DataType.FLOAT64) {
            // full() takes a float; a float64 constant is boxed in Java memory first, then copied by PyTorch
            return GraphArrays.owned(manager.create(value));
        }
        return manager.full(new Shape(), (float) value, like.getDataType());
    }
}
