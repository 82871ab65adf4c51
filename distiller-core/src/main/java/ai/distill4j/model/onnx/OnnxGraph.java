package ai.distill4j.model.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A computation graph ({@code GraphProto}): nodes in topological order, initializers (the weights), and the typed
 * inputs and outputs.
 *
 * @param name the graph name
 * @param nodes the operators
 * @param initializers the constant tensors, in file order
 * @param inputs the graph inputs (initializers may also be listed here by older exporters)
 * @param outputs the graph outputs
 * @since 0.1.0
 */
public record OnnxGraph(
        String name,
        List<OnnxNode> nodes,
        List<OnnxTensorData> initializers,
        List<OnnxValueInfo> inputs,
        List<OnnxValueInfo> outputs) {

    /**
     * Validates and copies the lists.
     *
     * @param name the graph name
     * @param nodes the operators
     * @param initializers the constant tensors, in file order
     * @param inputs the graph inputs (initializers may also be listed here by older exporters)
     * @param outputs the graph outputs
     */
    public OnnxGraph {
        name = name == null ? "" : name;
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * Returns the initializers by name, in file order.
     *
     * @return a new map from name to tensor
     */
    public Map<String, OnnxTensorData> initializerMap() {
        Map<String, OnnxTensorData> m = new LinkedHashMap<>();
        for (OnnxTensorData t : initializers) {
            m.put(t.name(), t);
        }
        return m;
    }

    /**
     * Returns the nodes that read a value.
     *
     * @param valueName the value name
     * @return the consumers in graph order
     */
    public List<OnnxNode> consumersOf(String valueName) {
        Objects.requireNonNull(valueName, "valueName");
        List<OnnxNode> out = new ArrayList<>();
        for (OnnxNode n : nodes) {
            if (n.inputs().contains(valueName)) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * Counts the nodes of each operator type.
     *
     * @return operator type to count, sorted by first appearance
     */
    public Map<String, Integer> opTypeCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (OnnxNode n : nodes) {
            m.merge(n.opType(), 1, Integer::sum);
        }
        return m;
    }
}
