package ai.distill4j.loss.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Reproducible test inputs: standard-normal values from a seeded {@link Random}, created on the host. */
public final class RandomArrays {

    private RandomArrays() {}

    /**
     * Creates an array of N(0, scale^2) values.
     *
     * @param manager the owner
     * @param type FLOAT32 or FLOAT64
     * @param seed the seed
     * @param scale the standard deviation
     * @param shape the shape
     * @return the array
     */
    public static NDArray normal(NDManager manager, DataType type, long seed, double scale, long... shape) {
        Random random = new Random(seed);
        double[] data = new double[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < data.length; i++) {
            data[i] = scale * random.nextGaussian();
        }
        NDArray a = manager.create(data, new Shape(shape));
        return type == DataType.FLOAT64 ? a : a.toType(type, false);
    }

    /**
     * Creates a 0/1 mask {@code (B, L)} whose row {@code b} has {@code lengths[b]} leading ones (right padding).
     *
     * @param manager the owner
     * @param length {@code L}
     * @param lengths valid tokens per row
     * @return the FLOAT32 mask
     */
    public static NDArray rightPaddedMask(NDManager manager, int length, int... lengths) {
        float[] data = new float[lengths.length * length];
        for (int b = 0; b < lengths.length; b++) {
            for (int i = 0; i < lengths[b]; i++) {
                data[b * length + i] = 1f;
            }
        }
        return manager.create(data, new Shape(lengths.length, length));
    }
}
