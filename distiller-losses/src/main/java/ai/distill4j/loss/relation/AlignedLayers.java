package ai.distill4j.loss.relation;

import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.Arity;
import java.util.List;

/** Checks and stacks the aligned hidden states that the CKD relation losses take. */
final class AlignedLayers {

    private AlignedLayers() {}

    /**
     * Checks that both sides hold the same number (at least two) of {@code (B, L, d)} tensors, with one shape per
     * side and the same B and L on both sides.
     *
     * @param lossName the registry name, for messages
     * @param student the student's layers
     * @param teacher the teacher's layers
     * @param arity how many layers per side the loss takes
     */
    static void check(String lossName, Arity arity, List<NDArray> student, List<NDArray> teacher) {
        if (student == null || teacher == null) {
            throw new IllegalArgumentException("loss '" + lossName + "' needs student and teacher layers, got null");
        }
        if (student.size() != teacher.size()) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs as many student layers as teacher layers, got "
                            + student.size() + " student and " + teacher.size() + " teacher layers");
        }
        arity.check(lossName, student.size());
        checkSide(lossName, "student", student);
        checkSide(lossName, "teacher", teacher);
        Shape s = student.get(0).getShape();
        Shape t = teacher.get(0).getShape();
        if (s.get(0) != t.get(0) || s.get(1) != t.get(1)) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs the same batch and length on both sides, got student " + s
                            + " and teacher " + t);
        }
    }

    /**
     * Checks stacked inputs {@code (B, K+1, L, d)}.
     *
     * @param lossName the registry name, for messages
     * @param hiddenS the student's stack
     * @param hiddenT the teacher's stack
     * @param minLayers the fewest aligned layers the loss accepts (1 for word relations, 2 for layer relations)
     */
    static void checkStacked(String lossName, NDArray hiddenS, NDArray hiddenT, int minLayers) {
        Shape s = hiddenS.getShape();
        Shape t = hiddenT.getShape();
        if (s.dimension() != 4 || t.dimension() != 4) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs stacked hidden states (batch, layers, length, hidden), got student "
                            + s + " and teacher " + t);
        }
        if (s.get(0) != t.get(0) || s.get(1) != t.get(1) || s.get(2) != t.get(2)) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs the same batch, layer count and length on both sides, got student "
                            + s + " and teacher " + t);
        }
        if (s.get(1) < minLayers) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs at least " + minLayers + " aligned layer(s), got " + s.get(1));
        }
    }

    /**
     * Stacks the layers along a new axis 1: {@code K+1} tensors {@code (B, L, d)} become {@code (B, K+1, L, d)}.
     *
     * @param layers the layers
     * @return the stack
     */
    static NDArray stack(List<NDArray> layers) {
        return NDArrays.stack(new NDList(layers), 1);
    }

    /**
     * Stacks the layers along a new axis 2: {@code K+1} tensors {@code (B, L, d)} become {@code (B, L, K+1, d)}
     * (token-major, for the layer relations).
     *
     * @param layers the layers
     * @return the stack
     */
    static NDArray stackByToken(List<NDArray> layers) {
        return NDArrays.stack(new NDList(layers), 2);
    }

    /**
     * Cosine similarities between the rows of the last two axes, from the Gram matrix: {@code G_ij / (max(|x_i|,
     * 1e-12) max(|x_j|, 1e-12))}, which equals {@code <u(x_i), u(x_j)>} with {@code u} as {@code F.normalize}, but
     * divides the {@code (n, n)} result instead of the {@code (n, d)} input.
     *
     * @param x {@code (..., n, d)}
     * @return {@code (..., n, n)}
     */
    static NDArray cosines(NDArray x) {
        int rank = x.getShape().dimension();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        axes[rank - 2] = rank - 1;
        axes[rank - 1] = rank - 2;
        NDArray g = x.matMul(x.transpose(axes));
        NDArray inverseNorm = g.diagonal(0, rank - 2, rank - 1).maximum(GraphScalar.of(g, 1e-24)).sqrt().pow(GraphScalar.of(g, -1));
        return g.mul(inverseNorm.expandDims(rank - 1)).mul(inverseNorm.expandDims(rank - 2));
    }

    /**
     * Returns the teacher's stack as a constant in the student's dtype.
     *
     * @param hiddenT the teacher's stack
     * @param hiddenS the student's stack
     * @return a detached array
     */
    static NDArray constant(NDArray hiddenT, NDArray hiddenS) {
        NDArray t = hiddenT.stopGradient();
        return t.getDataType() == hiddenS.getDataType() ? t : t.toType(hiddenS.getDataType(), false);
    }

    private static void checkSide(String lossName, String side, List<NDArray> layers) {
        Shape first = layers.get(0).getShape();
        if (first.dimension() != 3) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs " + side + " hidden states of shape (batch, length, hidden), got "
                            + first);
        }
        for (int k = 1; k < layers.size(); k++) {
            if (!layers.get(k).getShape().equals(first)) {
                throw new IllegalArgumentException(
                        "loss '" + lossName + "' needs every " + side + " layer to have one shape, but layer 0 is "
                                + first + " and layer " + k + " is " + layers.get(k).getShape());
            }
        }
    }
}
