package ai.distill4j.model.onnx;

import java.util.Arrays;
import java.util.Objects;

/**
 * A node attribute ({@code AttributeProto}) holding one float, int, string, tensor, or a list of floats or ints.
 * Other kinds (graphs, string lists, sparse tensors) are recognised by the reader but keep no value.
 *
 * @since 0.1.0
 */
public final class OnnxAttribute {

    /** The attribute kinds of {@code AttributeProto.AttributeType}, with their wire codes. */
    public enum Type {
        /** A float ({@code f}). */
        FLOAT(1),
        /** An int64 ({@code i}). */
        INT(2),
        /** A UTF-8 string ({@code s}). */
        STRING(3),
        /** A tensor ({@code t}). */
        TENSOR(4),
        /** A sub-graph (value not kept). */
        GRAPH(5),
        /** A list of floats ({@code floats}). */
        FLOATS(6),
        /** A list of int64 ({@code ints}). */
        INTS(7),
        /** A list of strings (value not kept). */
        STRINGS(8),
        /** Any other kind (value not kept). */
        OTHER(0);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        /**
         * Returns the wire code of this kind.
         *
         * @return the {@code AttributeType} value
         */
        public int code() {
            return code;
        }

        static Type fromCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return OTHER;
        }
    }

    private final String name;
    private final Type type;
    private final Object value;

    private OnnxAttribute(String name, Type type, Object value) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.value = value;
    }

    /**
     * Creates a float attribute.
     *
     * @param name the attribute name
     * @param f the value
     * @return the attribute
     */
    public static OnnxAttribute ofFloat(String name, float f) {
        return new OnnxAttribute(name, Type.FLOAT, f);
    }

    /**
     * Creates an int attribute.
     *
     * @param name the attribute name
     * @param i the value
     * @return the attribute
     */
    public static OnnxAttribute ofInt(String name, long i) {
        return new OnnxAttribute(name, Type.INT, i);
    }

    /**
     * Creates a string attribute.
     *
     * @param name the attribute name
     * @param s the value
     * @return the attribute
     */
    public static OnnxAttribute ofString(String name, String s) {
        return new OnnxAttribute(name, Type.STRING, Objects.requireNonNull(s, "s"));
    }

    /**
     * Creates a tensor attribute (as carried by {@code Constant}).
     *
     * @param name the attribute name
     * @param t the value
     * @return the attribute
     */
    public static OnnxAttribute ofTensor(String name, OnnxTensorData t) {
        return new OnnxAttribute(name, Type.TENSOR, Objects.requireNonNull(t, "t"));
    }

    /**
     * Creates a list-of-floats attribute.
     *
     * @param name the attribute name
     * @param floats the values
     * @return the attribute
     */
    public static OnnxAttribute ofFloats(String name, float... floats) {
        return new OnnxAttribute(name, Type.FLOATS, floats.clone());
    }

    /**
     * Creates a list-of-ints attribute.
     *
     * @param name the attribute name
     * @param ints the values
     * @return the attribute
     */
    public static OnnxAttribute ofInts(String name, long... ints) {
        return new OnnxAttribute(name, Type.INTS, ints.clone());
    }

    /** An attribute of a kind whose value is not kept. */
    static OnnxAttribute opaque(String name, Type type) {
        return new OnnxAttribute(name, type, null);
    }

    /**
     * Returns the attribute name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the attribute kind.
     *
     * @return the kind
     */
    public Type type() {
        return type;
    }

    /**
     * Returns the float value.
     *
     * @return the value
     * @throws IllegalStateException if this is not a {@link Type#FLOAT} attribute
     */
    public float f() {
        return (Float) expect(Type.FLOAT);
    }

    /**
     * Returns the int value.
     *
     * @return the value
     * @throws IllegalStateException if this is not an {@link Type#INT} attribute
     */
    public long i() {
        return (Long) expect(Type.INT);
    }

    /**
     * Returns the string value.
     *
     * @return the value
     * @throws IllegalStateException if this is not a {@link Type#STRING} attribute
     */
    public String s() {
        return (String) expect(Type.STRING);
    }

    /**
     * Returns the tensor value.
     *
     * @return the value
     * @throws IllegalStateException if this is not a {@link Type#TENSOR} attribute
     */
    public OnnxTensorData t() {
        return (OnnxTensorData) expect(Type.TENSOR);
    }

    /**
     * Returns the float list.
     *
     * @return a copy of the values
     * @throws IllegalStateException if this is not a {@link Type#FLOATS} attribute
     */
    public float[] floats() {
        return ((float[]) expect(Type.FLOATS)).clone();
    }

    /**
     * Returns the int list.
     *
     * @return a copy of the values
     * @throws IllegalStateException if this is not an {@link Type#INTS} attribute
     */
    public long[] ints() {
        return ((long[]) expect(Type.INTS)).clone();
    }

    private Object expect(Type wanted) {
        if (type != wanted) {
            throw new IllegalStateException("attribute '" + name + "' is " + type + ", not " + wanted);
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        String v;
        if (value instanceof long[] l) {
            v = Arrays.toString(l);
        } else if (value instanceof float[] fl) {
            v = Arrays.toString(fl);
        } else {
            v = String.valueOf(value);
        }
        return name + "=" + v;
    }
}
