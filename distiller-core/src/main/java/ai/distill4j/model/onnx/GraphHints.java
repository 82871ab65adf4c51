package ai.distill4j.model.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Hyper-parameters of an exported BERT that weight shapes do not reveal, read from the graph's operators: the
 * attention head count (the constant in the head-splitting {@code Reshape}), the LayerNorm epsilon (the constant
 * added to the variance, or {@code LayerNormalization}'s {@code epsilon}) and the feed-forward activation
 * ({@code Erf}: {@code gelu}, {@code Tanh}: {@code gelu_new}, {@code Relu}: {@code relu}). Each is a best effort:
 * empty when the graph does not show it plainly.
 *
 * @param numAttentionHeads the head count, if found
 * @param layerNormEps the epsilon, if found
 * @param hiddenAct the activation name, if found
 * @since 0.1.0
 */
record GraphHints(OptionalInt numAttentionHeads, OptionalDouble layerNormEps, Optional<String> hiddenAct) {

    /**
     * Reads the hints from a graph.
     *
     * @param graph the exported graph
     * @param hiddenSize the hidden size (from the embedding shapes), to recognise the head split
     * @return the hints
     */
    public static GraphHints of(OnnxGraph graph, int hiddenSize) {
        Map<String, OnnxTensorData> constants = new HashMap<>(graph.initializerMap());
        for (OnnxNode n : graph.nodes()) {
            if (n.opType().equals("Constant") && n.outputs().size() == 1) {
                n.attribute("value").filter(a -> a.type() == OnnxAttribute.Type.TENSOR)
                        .ifPresent(a -> constants.put(n.outputs().get(0), a.t()));
            }
        }
        return new GraphHints(heads(graph, constants, hiddenSize), eps(graph, constants), activation(graph));
    }

    private static OptionalInt heads(OnnxGraph graph, Map<String, OnnxTensorData> constants, int hidden) {
        for (OnnxNode n : graph.nodes()) {
            if (!n.name().contains("attention/self/") && !n.name().contains("attention.self")) {
                continue;
            }
            if (n.opType().equals("Concat")) {
                // shape = concat(batch, seq, [heads], [head_size])
                List<Long> scalars = new java.util.ArrayList<>();
                for (String in : n.inputs()) {
                    OnnxTensorData c = constants.get(in);
                    if (c != null && c.elementCount() == 1 && !c.dataType().isFloatingPoint()) {
                        scalars.add(c.toLongArray()[0]);
                    }
                }
                if (scalars.size() == 2 && scalars.get(0) * scalars.get(1) == hidden && scalars.get(0) > 0) {
                    return OptionalInt.of(Math.toIntExact(scalars.get(0)));
                }
            } else if (n.opType().equals("Reshape") && n.inputs().size() == 2) {
                OnnxTensorData shape = constants.get(n.inputs().get(1));
                if (shape != null && shape.elementCount() == 4 && !shape.dataType().isFloatingPoint()) {
                    long[] s = shape.toLongArray();
                    if (s[2] > 0 && s[2] * s[3] == hidden) {
                        return OptionalInt.of(Math.toIntExact(s[2]));
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalDouble eps(OnnxGraph graph, Map<String, OnnxTensorData> constants) {
        for (OnnxNode n : graph.nodes()) {
            if (n.opType().equals("LayerNormalization")) {
                return OptionalDouble.of(roundFloat(n.attribute("epsilon").map(OnnxAttribute::f).orElse(1e-5f)));
            }
            // decomposed LayerNorm: sqrt(mean((x - mu)^2) + eps), the Add feeding Sqrt
            if (n.opType().equals("Add") && n.name().contains("LayerNorm")) {
                for (String in : n.inputs()) {
                    OnnxTensorData c = constants.get(in);
                    if (c != null && c.elementCount() == 1 && c.dataType().isFloatingPoint()
                            && feedsSqrt(graph, n)) {
                        return OptionalDouble.of(roundFloat(c.toFloatArray()[0]));
                    }
                }
            }
        }
        return OptionalDouble.empty();
    }

    /** A float32 epsilon as the double it was written from (1e-12f reads 9.9999998e-13): 6 significant digits. */
    private static double roundFloat(float v) {
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", v));
    }

    private static boolean feedsSqrt(OnnxGraph graph, OnnxNode add) {
        return graph.consumersOf(add.outputs().get(0)).stream().anyMatch(c -> c.opType().equals("Sqrt"));
    }

    private static Optional<String> activation(OnnxGraph graph) {
        for (OnnxNode n : graph.nodes()) {
            if (!n.name().contains("intermediate")) {
                continue;
            }
            switch (n.opType()) {
                case "Erf":
                    return Optional.of("gelu");
                case "Tanh":
                    return Optional.of("gelu_new");
                case "Relu":
                    return Optional.of("relu");
                case "Gelu":
                    return Optional.of(n.attribute("approximate").map(OnnxAttribute::s).orElse("none")
                            .equals("tanh") ? "gelu_new" : "gelu");
                default:
                    break;
            }
        }
        return Optional.empty();
    }
}
