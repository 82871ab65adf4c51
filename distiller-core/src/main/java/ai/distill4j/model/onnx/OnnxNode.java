package ai.distill4j.model.onnx;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator of a graph ({@code NodeProto}).
 *
 * @param opType the operator, e.g. {@code MatMul}
 * @param name the node name (may be empty)
 * @param domain the operator set domain, empty for the default ONNX domain
 * @param inputs the input value names in order (an empty string marks an omitted optional input)
 * @param outputs the output value names in order
 * @param attributes the attributes
 * @since 0.1.0
 */
public record OnnxNode(
        String opType,
        String name,
        String domain,
        List<String> inputs,
        List<String> outputs,
        List<OnnxAttribute> attributes) {

    /**
     * Validates and copies the lists.
     *
     * @param opType the operator, e.g. {@code MatMul}
     * @param name the node name (may be empty)
     * @param domain the operator set domain, empty for the default ONNX domain
     * @param inputs the input value names in order (an empty string marks an omitted optional input)
     * @param outputs the output value names in order
     * @param attributes the attributes
     */
    public OnnxNode {
        Objects.requireNonNull(opType, "opType");
        name = name == null ? "" : name;
        domain = domain == null ? "" : domain;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }

    /**
     * Creates a node of the default domain.
     *
     * @param opType the operator
     * @param name the node name
     * @param inputs the input value names
     * @param outputs the output value names
     * @param attributes the attributes
     * @return the node
     */
    public static OnnxNode of(
            String opType, String name, List<String> inputs, List<String> outputs, OnnxAttribute... attributes) {
        return new OnnxNode(opType, name, "", inputs, outputs, List.of(attributes));
    }

    /**
     * Finds an attribute by name.
     *
     * @param attributeName the name
     * @return the attribute, or empty
     */
    public Optional<OnnxAttribute> attribute(String attributeName) {
        return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
    }
}
