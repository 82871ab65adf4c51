package ai.distill4j.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named ONNX tensor ({@code TensorProto}): element type, dimensions and the values as little-endian bytes, the
 * layout of {@code raw_data}. Initializers and {@code Constant} values are read into this form whichever
 * {@code TensorProto} field held them ({@code raw_data}, {@code float_data}, {@code int64_data}, ...).
 *
 * <p>Instances are immutable: factories copy their input and accessors return copies or decoded arrays.
 *
 * @since 0.1.0
 */
public final class OnnxTensorData {

    private final String name;
    private final OnnxDataType dataType;
    private final long[] dims;
    private final byte[] data;

    private OnnxTensorData(String name, OnnxDataType dataType, long[] dims, byte[] data) {
        this.name = Objects.requireNonNull(name, "name");
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.dims = dims;
        this.data = data;
        long count = elementCount();
        if (dataType.byteSize() > 0 && (long) data.length != count * dataType.byteSize()) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' of type " + dataType + " and shape " + Arrays.toString(dims) + " needs "
                            + count * dataType.byteSize() + " bytes but has " + data.length);
        }
    }

    /**
     * Wraps little-endian bytes without copying; for the reader and writer of this package.
     *
     * @param name the tensor name
     * @param dataType the element type
     * @param dims the dimensions (owned by the new instance)
     * @param data the values (owned by the new instance)
     * @return the tensor
     */
    static OnnxTensorData wrap(String name, OnnxDataType dataType, long[] dims, byte[] data) {
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "' has a negative dimension: " + Arrays.toString(dims));
            }
        }
        return new OnnxTensorData(name, dataType, dims, data);
    }

    /**
     * Creates a tensor from little-endian bytes in the layout of {@code raw_data}.
     *
     * @param name the tensor name
     * @param dataType the element type
     * @param dims the dimensions, each non-negative
     * @param littleEndian the values; its length must be the element count times the element size
     * @return the tensor
     */
    public static OnnxTensorData ofRaw(String name, OnnxDataType dataType, long[] dims, byte[] littleEndian) {
        return wrap(name, dataType, dims.clone(), littleEndian.clone());
    }

    /**
     * Creates a float32 tensor.
     *
     * @param name the tensor name
     * @param dims the dimensions; their product must equal {@code values.length}
     * @param values the values in row-major order
     * @return the tensor
     */
    public static OnnxTensorData ofFloats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return wrap(name, OnnxDataType.FLOAT, dims.clone(), b.array());
    }

    /**
     * Creates an int64 tensor.
     *
     * @param name the tensor name
     * @param dims the dimensions; their product must equal {@code values.length}
     * @param values the values in row-major order
     * @return the tensor
     */
    public static OnnxTensorData ofLongs(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return wrap(name, OnnxDataType.INT64, dims.clone(), b.array());
    }

    /**
     * Returns the tensor name.
     *
     * @return the name (may be empty for attribute tensors)
     */
    public String name() {
        return name;
    }

    /**
     * Returns the element type.
     *
     * @return the type
     */
    public OnnxDataType dataType() {
        return dataType;
    }

    /**
     * Returns the dimensions.
     *
     * @return a copy of the dimensions; empty for a scalar
     */
    public long[] dims() {
        return dims.clone();
    }

    /**
     * Returns the number of elements (1 for a scalar).
     *
     * @return the product of the dimensions
     */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Returns the values as little-endian bytes.
     *
     * @return a copy of the raw data
     */
    public byte[] rawData() {
        return data.clone();
    }

    /** The raw data without a copy, for this package. */
    byte[] rawDataUnsafe() {
        return data;
    }

    /**
     * Returns a copy of this tensor under another name.
     *
     * @param newName the new name
     * @return the renamed tensor (shares the immutable data)
     */
    public OnnxTensorData withName(String newName) {
        return new OnnxTensorData(newName, dataType, dims, data);
    }

    /**
     * Decodes the values as float32; float16, bfloat16 and float64 are converted.
     *
     * @return the values in row-major order
     * @throws IllegalStateException if the element type is not floating point
     */
    public float[] toFloatArray() {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(elementCount());
        float[] out = new float[n];
        switch (dataType) {
            case FLOAT -> b.asFloatBuffer().get(out);
            case DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
                }
            }
            default -> throw new IllegalStateException(
                    "tensor '" + name + "' has type " + dataType + ", not a floating-point type");
        }
        return out;
    }

    /**
     * Decodes the values as int64; every integer and boolean type is widened.
     *
     * @return the values in row-major order
     * @throws IllegalStateException if the element type is floating point or a string
     */
    public long[] toLongArray() {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(elementCount());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dataType) {
                case INT64, UINT64 -> b.getLong(i * 8);
                case INT32 -> b.getInt(i * 4);
                case UINT32 -> b.getInt(i * 4) & 0xFFFFFFFFL;
                case INT16 -> b.getShort(i * 2);
                case UINT16 -> b.getShort(i * 2) & 0xFFFF;
                case INT8 -> b.get(i);
                case UINT8, BOOL -> b.get(i) & 0xFF;
                default -> throw new IllegalStateException(
                        "tensor '" + name + "' has type " + dataType + ", not an integer type");
            };
        }
        return out;
    }

    /**
     * Returns the transpose of a 2-D tensor as float32: ONNX {@code MatMul} weights are stored {@code [in, out]},
     * HuggingFace {@code Linear} weights {@code [out, in]}.
     *
     * @param newName the name of the result
     * @return the float32 tensor of shape {@code [dims[1], dims[0]]}
     * @throws IllegalStateException if this tensor is not 2-D or not floating point
     */
    public OnnxTensorData transposed(String newName) {
        if (dims.length != 2) {
            throw new IllegalStateException(
                    "tensor '" + name + "' has shape " + Arrays.toString(dims) + "; only 2-D tensors transpose");
        }
        int rows = Math.toIntExact(dims[0]);
        int cols = Math.toIntExact(dims[1]);
        float[] in = toFloatArray();
        float[] out = new float[in.length];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = in[base + c];
            }
        }
        return ofFloats(newName, new long[] {cols, rows}, out);
    }

    /** Converts IEEE 754 binary16 bits to a float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "OnnxTensorData[" + name + ", " + dataType + ", " + Arrays.toString(dims) + "]";
    }
}
