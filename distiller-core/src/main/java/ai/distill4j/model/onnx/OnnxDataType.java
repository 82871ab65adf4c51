package ai.distill4j.model.onnx;

/**
 * The element types of ONNX tensors ({@code TensorProto.DataType}), with their wire codes and element sizes.
 *
 * @since 0.1.0
 */
public enum OnnxDataType {
    /** Not set. */
    UNDEFINED(0, 0),
    /** 32-bit IEEE float. */
    FLOAT(1, 4),
    /** Unsigned 8-bit integer. */
    UINT8(2, 1),
    /** Signed 8-bit integer. */
    INT8(3, 1),
    /** Unsigned 16-bit integer. */
    UINT16(4, 2),
    /** Signed 16-bit integer. */
    INT16(5, 2),
    /** Signed 32-bit integer. */
    INT32(6, 4),
    /** Signed 64-bit integer. */
    INT64(7, 8),
    /** Variable-length strings (no fixed element size). */
    STRING(8, 0),
    /** Booleans, one byte each. */
    BOOL(9, 1),
    /** 16-bit IEEE half float. */
    FLOAT16(10, 2),
    /** 64-bit IEEE float. */
    DOUBLE(11, 8),
    /** Unsigned 32-bit integer. */
    UINT32(12, 4),
    /** Unsigned 64-bit integer. */
    UINT64(13, 8),
    /** bfloat16: the upper half of a float32. */
    BFLOAT16(16, 2);

    private final int code;
    private final int byteSize;

    OnnxDataType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /**
     * Returns the wire code of this type ({@code TensorProto.DataType} value).
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * Returns the size of one element in {@code raw_data}, or 0 for {@link #STRING} and {@link #UNDEFINED}.
     *
     * @return bytes per element
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Returns whether values of this type can be read as floats ({@code FLOAT}, {@code FLOAT16}, {@code BFLOAT16},
     * {@code DOUBLE}).
     *
     * @return true for floating-point types
     */
    public boolean isFloatingPoint() {
        return this == FLOAT || this == FLOAT16 || this == BFLOAT16 || this == DOUBLE;
    }

    /**
     * Looks a type up by its wire code.
     *
     * @param code a {@code TensorProto.DataType} value
     * @return the type
     * @throws IllegalArgumentException if the code is not one this library knows
     */
    public static OnnxDataType fromCode(int code) {
        for (OnnxDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "ONNX data_type " + code + " is not supported; supported: FLOAT(1), UINT8(2), INT8(3), UINT16(4),"
                        + " INT16(5), INT32(6), INT64(7), BOOL(9), FLOAT16(10), DOUBLE(11), UINT32(12), UINT64(13),"
                        + " BFLOAT16(16)");
    }
}
