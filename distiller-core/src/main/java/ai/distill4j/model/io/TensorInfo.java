package ai.distill4j.model.io;

import java.util.Arrays;

/**
 * One entry of a safetensors header.
 *
 * @param name the tensor name
 * @param dtype the element type
 * @param shape the shape (a copy is kept)
 * @param begin the start of the data, relative to the end of the header
 * @param end the end (exclusive) of the data, relative to the end of the header
 * @since 0.1.0
 */
public record TensorInfo(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {

    /**
     * Copies the shape.
     *
     * @param name the tensor name
     * @param dtype the element type
     * @param shape the shape
     * @param begin the start offset
     * @param end the end offset
     */
    public TensorInfo {
        shape = shape.clone();
    }

    /**
     * Returns a copy of the shape.
     *
     * @return the shape
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns the number of elements.
     *
     * @return the product of the shape
     */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Returns the shape as text, e.g. {@code [2, 32]}.
     *
     * @return the shape, formatted
     */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeString() + " [" + begin + ", " + end + ")";
    }
}
