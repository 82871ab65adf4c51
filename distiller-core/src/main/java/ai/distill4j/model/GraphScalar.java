package ai.distill4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * A 0-d array holding a constant, for arithmetic on arrays that take part in back-propagation.
 *
 * <p>Why not {@code x.mul(0.5f)}: DJL's PyTorch engine turns the number into a 0-d array whose memory is a Java direct
 * buffer (zero-copy {@code from_blob}) and closes it as soon as the operation returns. PyTorch's autograd keeps that
 * array for the backward pass of {@code mul}, {@code div}, {@code pow}, {@code maximum} and {@code minimum}, but
 * once it is closed nothing keeps the buffer alive, and a garbage collection between the forward and the backward
 * pass frees it: the backward pass then reads freed memory and the gradients come out wrong or NaN, at random
 * (measured: every run NaN within a few steps when collections are frequent). An array from {@link #of} belongs to the
 * manager of the array it is used with (the step's manager), so it lives until that manager closes, after the
 * backward pass.
 *
 * <p>Use it for every number combined with a gradient-carrying array by {@code mul}, {@code div}, {@code pow},
 * {@code maximum}, {@code minimum} and their in-place forms; {@code add} and {@code sub} keep no operand and are safe.
 *
 * <p>The constant is also taken out of any enclosing {@link NDScope}, which would otherwise close it when its block
 * ends, before the backward pass.
 *
 * @since 0.1.0
 */
public final class GraphScalar {

    private GraphScalar() {}

    /**
     * Creates a constant for use with an array.
     *
     * @param like the array the constant is combined with; the constant takes its manager and data type, so it must
     *     not live in a long-lived manager (parameters: put the activation first)
     * @param value the constant
     * @return a 0-d array of {@code like}'s type in {@code like}'s manager
     */
    public static NDArray of(NDArray like, double value) {
        NDArray s = like.getManager().create((float) value);
        NDArray result = s.getDataType() == like.getDataType() ? s : s.toType(like.getDataType(), false);
        // An enclosing NDScope must not close it at the end of a block: autograd may still need it (see above).
        NDScope.unregister(result);
        return result;
    }
}
