package ai.distill4j.model.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Recovers HuggingFace parameter names and layouts from an exported BERT graph.
 *
 * <p>Exporters keep the names of embeddings, LayerNorm parameters and biases, but the weight of each linear layer
 * usually becomes an anonymous {@code MatMul} input (e.g. {@code onnx::MatMul_787}) stored transposed,
 * {@code [in, out]}. For every {@code MatMul} (or {@code Gemm}) with a constant weight this class finds the name of
 * the layer, in this order:
 * <ol>
 *   <li>the bias {@code Add} consuming the product: its constant input {@code X.bias} names the weight
 *       {@code X.weight} ({@code Gemm}: its {@code C} input);
 *   <li>the weight's own name when it already is a HuggingFace name;
 *   <li>the node name, {@code /encoder/layer.0/attention/self/query/MatMul} giving
 *       {@code encoder.layer.0.attention.self.query.weight}.
 * </ol>
 * and returns the weight in HuggingFace layout {@code [out, in]}: transposed for a plain {@code MatMul} or
 * {@code Gemm} with {@code transB=0}, as stored when the graph transposes it itself ({@code Transpose} node or
 * {@code transB=1}). A leading {@code bert.} is dropped from every name and old {@code LayerNorm.gamma/beta} names
 * become {@code weight/bias}.
 *
 * @since 0.1.0
 */
final class HfWeightNames {

    private static final Pattern HF_NAME = Pattern.compile(
            "^(embeddings|encoder|pooler|classifier)\\.[A-Za-z0-9_.]+\\.(weight|bias)$|^classifier\\.(weight|bias)$");

    private HfWeightNames() {}

    /**
     * Recovers the weights of a graph under HuggingFace names.
     *
     * @param graph the exported graph
     * @return the weights, sorted by name, and the initializers that are not weights
     * @throws IllegalArgumentException if two tensors claim the same HuggingFace name
     */
    public static RecoveredWeights recover(OnnxGraph graph) {
        Map<String, OnnxTensorData> constants = new LinkedHashMap<>(graph.initializerMap());
        Map<String, OnnxNode> producers = new HashMap<>();
        for (OnnxNode n : graph.nodes()) {
            for (String out : n.outputs()) {
                producers.put(out, n);
            }
            if (n.opType().equals("Constant") && n.outputs().size() == 1) {
                n.attribute("value")
                        .filter(a -> a.type() == OnnxAttribute.Type.TENSOR)
                        .ifPresent(a -> constants.put(n.outputs().get(0), a.t().withName(n.outputs().get(0))));
            }
        }
        Map<String, OnnxTensorData> out = new TreeMap<>();
        Set<String> used = new LinkedHashSet<>();

        for (OnnxNode n : graph.nodes()) {
            boolean isMatMul = n.opType().equals("MatMul") && n.inputs().size() == 2;
            boolean isGemm = n.opType().equals("Gemm") && n.inputs().size() >= 2;
            if (!isMatMul && !isGemm) {
                continue;
            }
            WeightSource w = resolveWeight(n.inputs().get(1), constants, producers);
            if (w == null) {
                continue; // activation x activation (attention scores) or a weight we cannot see
            }
            boolean transB = isGemm && n.attribute("transB").map(OnnxAttribute::i).orElse(0L) != 0;
            // The graph computes x @ B. B = stored^T when the graph transposes (Transpose node or transB=1).
            boolean graphTransposes = w.transposedByGraph() ^ transB;
            LinearName name = moduleName(n, graph, constants);
            if (name == null || w.tensor().dims().length != 2) {
                continue;
            }
            String module = name.module();
            OnnxTensorData hf = graphTransposes
                    ? OnnxTensorData.ofFloats(module + ".weight", w.tensor().dims(), w.tensor().toFloatArray())
                    : w.tensor().transposed(module + ".weight");
            put(out, hf);
            used.add(w.tensor().name());
            if (name.anonymousBias() != null) {
                put(out, constants.get(name.anonymousBias()).withName(module + ".bias"));
                used.add(name.anonymousBias());
            }
            if (isGemm && n.inputs().size() >= 3 && constants.containsKey(n.inputs().get(2))) {
                put(out, constants.get(n.inputs().get(2)).withName(module + ".bias"));
                used.add(n.inputs().get(2));
            }
        }
        List<String> unused = new ArrayList<>();
        for (OnnxTensorData t : graph.initializers()) {
            if (used.contains(t.name())) {
                continue;
            }
            String hf = normalise(t.name());
            if (HF_NAME.matcher(hf).matches() && !out.containsKey(hf)) {
                out.put(hf, t.withName(hf));
            } else if (!out.containsKey(hf)) {
                unused.add(t.name());
            }
        }
        return new RecoveredWeights(out, unused);
    }

    /**
     * Maps an exported name to its HuggingFace form: drops a leading {@code bert.} and renames
     * {@code LayerNorm.gamma/beta} to {@code LayerNorm.weight/bias}.
     *
     * @param name the exported name
     * @return the HuggingFace name
     */
    public static String normalise(String name) {
        String n = name.startsWith("bert.") ? name.substring("bert.".length()) : name;
        if (n.endsWith("LayerNorm.gamma")) {
            n = n.substring(0, n.length() - "gamma".length()) + "weight";
        } else if (n.endsWith("LayerNorm.beta")) {
            n = n.substring(0, n.length() - "beta".length()) + "bias";
        }
        return n;
    }

    private record WeightSource(OnnxTensorData tensor, boolean transposedByGraph) {}

    /** Follows an optional 2-D Transpose (and Identity/Cast) back to a constant. */
    private static WeightSource resolveWeight(
            String value, Map<String, OnnxTensorData> constants, Map<String, OnnxNode> producers) {
        boolean transposed = false;
        String current = value;
        for (int hops = 0; hops < 4; hops++) {
            OnnxTensorData c = constants.get(current);
            if (c != null) {
                return c.dataType().isFloatingPoint() ? new WeightSource(c, transposed) : null;
            }
            OnnxNode p = producers.get(current);
            if (p == null || p.inputs().isEmpty()) {
                return null;
            }
            switch (p.opType()) {
                case "Transpose" -> {
                    long[] perm = p.attribute("perm").map(OnnxAttribute::ints).orElse(new long[] {1, 0});
                    if (perm.length != 2 || perm[0] != 1 || perm[1] != 0) {
                        return null;
                    }
                    transposed = !transposed;
                }
                case "Identity", "Cast" -> {
                    // pass through
                }
                default -> {
                    return null;
                }
            }
            current = p.inputs().get(0);
        }
        return null;
    }

    /** A linear layer's HF module path and, when its bias constant is anonymous, that constant's name. */
    private record LinearName(String module, String anonymousBias) {}

    /** The HF module path of a linear node ("encoder.layer.0.attention.self.query"), or null. */
    private static LinearName moduleName(OnnxNode linear, OnnxGraph graph, Map<String, OnnxTensorData> constants) {
        if (linear.opType().equals("Gemm") && linear.inputs().size() >= 3) {
            String c = normalise(linear.inputs().get(2));
            if (c.endsWith(".bias") && HF_NAME.matcher(c).matches()) {
                return new LinearName(c.substring(0, c.length() - ".bias".length()), null);
            }
        }
        if (linear.opType().equals("MatMul")) {
            for (OnnxNode consumer : graph.consumersOf(linear.outputs().get(0))) {
                if (!consumer.opType().equals("Add") || consumer.inputs().size() != 2) {
                    continue;
                }
                String other = consumer.inputs().get(0).equals(linear.outputs().get(0))
                        ? consumer.inputs().get(1)
                        : consumer.inputs().get(0);
                OnnxTensorData bias = constants.get(other);
                if (bias == null || bias.dims().length != 1) {
                    continue;
                }
                String b = normalise(other);
                if (b.endsWith(".bias") && HF_NAME.matcher(b).matches()) {
                    return new LinearName(b.substring(0, b.length() - ".bias".length()), null);
                }
                Optional<String> fromNode = moduleFromNodeName(consumer.name())
                        .or(() -> moduleFromNodeName(linear.name()));
                if (fromNode.isPresent()) {
                    return new LinearName(fromNode.get(), other);
                }
            }
        }
        OnnxTensorData w = constants.get(linear.inputs().get(1));
        if (w != null) {
            String n = normalise(w.name());
            if (n.endsWith(".weight") && HF_NAME.matcher(n).matches()) {
                return new LinearName(n.substring(0, n.length() - ".weight".length()), null);
            }
        }
        return moduleFromNodeName(linear.name()).map(m -> new LinearName(m, null)).orElse(null);
    }

    /** "/bert/encoder/layer.0/attention/self/query/MatMul" -> "encoder.layer.0.attention.self.query". */
    static Optional<String> moduleFromNodeName(String nodeName) {
        if (nodeName == null || !nodeName.startsWith("/")) {
            return Optional.empty();
        }
        int last = nodeName.lastIndexOf('/');
        if (last <= 0) {
            return Optional.empty();
        }
        String module = nodeName.substring(1, last).replace('/', '.');
        if (module.startsWith("bert.")) {
            module = module.substring("bert.".length());
        }
        if (!HF_NAME.matcher(module + ".weight").matches()) {
            return Optional.empty();
        }
        return Optional.of(module);
    }

    private static void put(Map<String, OnnxTensorData> out, OnnxTensorData t) {
        OnnxTensorData previous = out.putIfAbsent(t.name(), t);
        if (previous != null && previous != t) {
            throw new IllegalArgumentException("two tensors of the ONNX graph map to '" + t.name() + "'");
        }
    }
}
