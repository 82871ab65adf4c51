package ai.distill4j.model.onnx;

import java.util.List;
import java.util.Objects;

/**
 * A typed graph input or output ({@code ValueInfoProto} with a tensor type).
 *
 * @param name the value name
 * @param elementType the element type
 * @param shape the dimensions; each a fixed size or a symbolic name such as {@code batch}
 * @since 0.1.0
 */
public record OnnxValueInfo(String name, OnnxDataType elementType, List<Dim> shape) {

    /**
     * Validates and copies the shape.
     *
     * @param name the value name
     * @param elementType the element type
     * @param shape the dimensions; each a fixed size or a symbolic name such as {@code batch}
     */
    public OnnxValueInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elementType, "elementType");
        shape = List.copyOf(shape);
    }

    /**
     * One dimension of a value: a fixed size or a symbolic (dynamic) name.
     *
     * @param value the fixed size, or -1 when symbolic or unknown
     * @param param the symbolic name, or null when fixed
     */
    public record Dim(long value, String param) {

        /**
         * A fixed-size dimension.
         *
         * @param value the size
         * @return the dimension
         */
        public static Dim fixed(long value) {
            return new Dim(value, null);
        }

        /**
         * A symbolic dimension, e.g. {@code batch} or {@code sequence}.
         *
         * @param param the symbol
         * @return the dimension
         */
        public static Dim symbolic(String param) {
            return new Dim(-1, Objects.requireNonNull(param, "param"));
        }

        /** {@inheritDoc} */
        @Override
        public String toString() {
            return param != null ? param : value >= 0 ? Long.toString(value) : "?";
        }
    }
}
