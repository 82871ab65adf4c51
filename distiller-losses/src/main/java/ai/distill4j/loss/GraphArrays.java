package ai.distill4j.loss;

import ai.djl.ndarray.NDArray;

/**
 * Arrays made from Java data (index tables, per-row weights) that take part in back-propagation.
 *
 * <p>{@code manager.create(long[] ...)} and its siblings give an array whose memory is a Java direct buffer. When such
 * an array is an operand that PyTorch's autograd keeps for the backward pass (the index of {@code gather}, either
 * factor of {@code mul}) and it is closed before that pass, as a loss's {@code NDScope} does, nothing keeps the buffer
 * alive: a garbage collection frees it and the backward pass reads freed memory (wrong gradients, or an index out of
 * bounds). {@link #owned} copies it into memory PyTorch owns and reference-counts. The same trap for numbers is
 * {@link GraphScalar}'s subject.
 *
 * @since 0.1.0
 */
public final class GraphArrays {

    private GraphArrays() {}

    /**
     * Copies an array into PyTorch-owned memory and closes the original.
     *
     * @param created an array made from Java data, in the manager the copy should belong to
     * @return a copy of the same shape, type and values, in the same manager, its memory owned by PyTorch
     */
    public static NDArray owned(NDArray created) {
        try (NDArray original = created) {
            return original.duplicate();
        }
    }
}
