package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Builds small test tensors from formulas or a seeded generator, and splits stacked layers into lists. */
final class TestTensors {

    private TestTensors() {}

    /**
     * A tensor whose element at index {@code i} is {@code f(i)}.
     *
     * @param manager the owner
     * @param type FLOAT32 or FLOAT64
     * @param f the formula, given the multi-index
     * @param shape the shape
     * @return the tensor
     */
    static NDArray of(NDManager manager, DataType type, ToDoubleFunction<int[]> f, long... shape) {
        Shape s = new Shape(shape);
        double[] data = new double[(int) s.size()];
        int[] idx = new int[shape.length];
        for (int n = 0; n < data.length; n++) {
            int rest = n;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = (int) (rest % shape[d]);
                rest /= (int) shape[d];
            }
            data[n] = f.applyAsDouble(idx);
        }
        NDArray a = manager.create(data, s);
        return type == DataType.FLOAT64 ? a : a.toType(type, false);
    }

    /**
     * Standard normal values from a seeded generator.
     *
     * @param manager the owner
     * @param seed the seed
     * @param shape the shape
     * @return a FLOAT64 tensor
     */
    static NDArray normal(NDManager manager, long seed, long... shape) {
        Random r = new Random(seed);
        return of(manager, DataType.FLOAT64, i -> r.nextGaussian(), shape);
    }

    /**
     * A right-padded 0/1 mask.
     *
     * @param manager the owner
     * @param length L
     * @param real the number of real tokens of each example
     * @return {@code (B, L)} FLOAT64
     */
    static NDArray mask(NDManager manager, long length, int... real) {
        return of(manager, DataType.FLOAT64, i -> i[1] < real[i[0]] ? 1 : 0, real.length, length);
    }

    /**
     * Splits {@code (B, K+1, L, d)} along axis 1 into K+1 tensors {@code (B, L, d)}.
     *
     * @param stacked the stack
     * @return the layers
     */
    static List<NDArray> layers(NDArray stacked) {
        NDList parts = stacked.split(stacked.getShape().get(1), 1);
        List<NDArray> out = new ArrayList<>();
        for (NDArray p : parts) {
            out.add(p.squeeze(1));
        }
        return out;
    }

    /**
     * Reads a scalar as a double.
     *
     * @param scalar the array
     * @return its value
     */
    static double value(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }
}
