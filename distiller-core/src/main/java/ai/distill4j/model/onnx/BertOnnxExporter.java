package ai.distill4j.model.onnx;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exports a {@link BertModel} as an ONNX graph (operator set 17, plain operators), written with
 * {@link OnnxModelWriter}; the inverse of {@link BertOnnxImporter}.
 *
 * <p>The graph has int64 inputs {@code input_ids}, {@code attention_mask} and {@code token_type_ids}, each
 * {@code [batch, sequence]} with both axes dynamic, and the output {@code last_hidden_state}
 * {@code [batch, sequence, hidden]}, plus {@code logits} ({@code [batch, num_labels]} for sequence
 * classification, {@code [batch, sequence, num_labels]} for token classification) when logits are requested.
 * It computes what {@link BertModel#forward} computes in evaluation mode: the additive mask is
 * {@code (1 - mask) * finfo(float32).min}, LayerNorm is {@code LayerNormalization}, {@code gelu} is the exact erf
 * form. Every parameter is an initializer under its HuggingFace name and layout ({@code Linear} weights
 * {@code [out, in]}, used through a {@code Transpose}); nodes are named after the HuggingFace modules
 * ({@code /encoder/layer.0/attention/self/query/MatMul}). The model's {@code config.json} is stored in the
 * metadata under {@value #CONFIG_METADATA_KEY}.
 *
 * <pre>{@code
 * BertOnnxExporter.builder().optLogits(true).build().export(model, Path.of("model.onnx"));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class BertOnnxExporter {

    /** The metadata key holding the model's HuggingFace {@code config.json}. */
    public static final String CONFIG_METADATA_KEY = "distill4j.hf_config";
    /** The operator set version the graph uses. */
    public static final int OPSET = 17;
    /** The ONNX IR version written (the one that goes with opset 17). */
    public static final int IR_VERSION = 8;

    private final boolean logits;

    private BertOnnxExporter(Builder b) {
        this.logits = b.logits;
    }

    /**
     * Starts a builder; by default only {@code last_hidden_state} is exported.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Exports a model to an ONNX file (written atomically).
     *
     * @param model the initialised model
     * @param file the target file; its folder must exist
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if logits are requested from a model without a classifier
     */
    public void export(BertModel model, Path file) throws IOException {
        OnnxModelWriter.write(toOnnx(model), file);
    }

    /**
     * Builds the ONNX graph of a model.
     *
     * @param model the initialised model
     * @return the ONNX model
     * @throws IllegalArgumentException if logits are requested from a model without a classifier
     * @throws IllegalStateException if the model is not initialised
     */
    public OnnxModel toOnnx(BertModel model) {
        Objects.requireNonNull(model, "model");
        if (!model.isInitialized()) {
            throw new IllegalStateException("cannot export an uninitialised BertModel");
        }
        if (logits && !model.head().hasClassifier()) {
            throw new IllegalArgumentException("logits requested but the model's head is " + model.head()
                    + " (no classifier); export with head NONE");
        }
        BertConfig c = model.config();
        GraphBuilder g = new GraphBuilder(model.namedParameters());
        int h = c.hiddenSize();
        int a = c.numAttentionHeads();
        int d = h / a;

        // position_ids = range(0, S) as [1, S]
        String shape = g.node("Shape", "/embeddings/Shape", List.of("input_ids"));
        String seqLen = g.node("Gather", "/embeddings/Gather", List.of(shape, g.scalarLong("/embeddings/one", 1)),
                OnnxAttribute.ofInt("axis", 0));
        String range = g.node("Range", "/embeddings/Range",
                List.of(g.scalarLong("/embeddings/zero", 0), seqLen, g.scalarLong("/embeddings/step", 1)));
        String positionIds = g.node("Unsqueeze", "/embeddings/Unsqueeze",
                List.of(range, g.longs("/embeddings/axis0", 0)));

        String x = g.node("Gather", "/embeddings/word_embeddings/Gather",
                List.of(g.param("embeddings.word_embeddings.weight"), "input_ids"));
        x = g.node("Add", "/embeddings/Add", List.of(x, g.node("Gather", "/embeddings/token_type_embeddings/Gather",
                List.of(g.param("embeddings.token_type_embeddings.weight"), "token_type_ids"))));
        x = g.node("Add", "/embeddings/Add_1", List.of(x, g.node("Gather", "/embeddings/position_embeddings/Gather",
                List.of(g.param("embeddings.position_embeddings.weight"), positionIds))));
        x = layerNorm(g, "embeddings.LayerNorm", x, c.layerNormEps());

        // additive mask (B, 1, 1, S) = (1 - mask) * finfo(float32).min
        String maskF = g.node("Cast", "/Cast", List.of("attention_mask"), OnnxAttribute.ofInt("to", 1));
        maskF = g.node("Unsqueeze", "/Unsqueeze", List.of(maskF, g.longs("/mask_axes", 1, 2)));
        String inverted = g.node("Sub", "/Sub", List.of(g.scalarFloat("/one", 1f), maskF));
        String extMask = g.node("Mul", "/Mul", List.of(inverted, g.scalarFloat("/mask_value", BertModel.MASK_VALUE)));

        String splitShape = g.longs("/split_shape", 0, 0, a, d);
        String mergeShape = g.longs("/merge_shape", 0, 0, h);
        String scale = g.scalarFloat("/attention_scale", (float) Math.sqrt(d));
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "encoder.layer." + l + ".";
            String n = "/encoder/layer." + l + "/";
            String q = linear(g, p + "attention.self.query", x);
            String k = linear(g, p + "attention.self.key", x);
            String v = linear(g, p + "attention.self.value", x);
            q = g.node("Transpose", n + "attention/self/Transpose_q",
                    List.of(g.node("Reshape", n + "attention/self/Reshape_q", List.of(q, splitShape))),
                    OnnxAttribute.ofInts("perm", 0, 2, 1, 3));
            k = g.node("Transpose", n + "attention/self/Transpose_k",
                    List.of(g.node("Reshape", n + "attention/self/Reshape_k", List.of(k, splitShape))),
                    OnnxAttribute.ofInts("perm", 0, 2, 3, 1));
            v = g.node("Transpose", n + "attention/self/Transpose_v",
                    List.of(g.node("Reshape", n + "attention/self/Reshape_v", List.of(v, splitShape))),
                    OnnxAttribute.ofInts("perm", 0, 2, 1, 3));
            String scores = g.node("MatMul", n + "attention/self/MatMul", List.of(q, k));
            scores = g.node("Div", n + "attention/self/Div", List.of(scores, scale));
            scores = g.node("Add", n + "attention/self/Add", List.of(scores, extMask));
            String probs = g.node("Softmax", n + "attention/self/Softmax", List.of(scores),
                    OnnxAttribute.ofInt("axis", -1));
            String ctx = g.node("MatMul", n + "attention/self/MatMul_1", List.of(probs, v));
            ctx = g.node("Transpose", n + "attention/self/Transpose_ctx", List.of(ctx),
                    OnnxAttribute.ofInts("perm", 0, 2, 1, 3));
            ctx = g.node("Reshape", n + "attention/self/Reshape_ctx", List.of(ctx, mergeShape));
            String attn = linear(g, p + "attention.output.dense", ctx);
            attn = g.node("Add", n + "attention/output/Add", List.of(attn, x));
            attn = layerNorm(g, p + "attention.output.LayerNorm", attn, c.layerNormEps());
            String inter = activation(g, n + "intermediate/intermediate_act_fn/", c.hiddenAct(),
                    linear(g, p + "intermediate.dense", attn));
            String out = linear(g, p + "output.dense", inter);
            out = g.node("Add", n + "output/Add", List.of(out, attn));
            x = layerNorm(g, p + "output.LayerNorm", out, c.layerNormEps());
        }
        String last = g.node("Identity", "/last_hidden_state", List.of(x), "last_hidden_state");

        List<OnnxValueInfo> outputs = new ArrayList<>();
        OnnxValueInfo.Dim batch = OnnxValueInfo.Dim.symbolic("batch");
        OnnxValueInfo.Dim seq = OnnxValueInfo.Dim.symbolic("sequence");
        outputs.add(new OnnxValueInfo(last, OnnxDataType.FLOAT, List.of(batch, seq, OnnxValueInfo.Dim.fixed(h))));
        if (logits) {
            OnnxValueInfo.Dim labels = OnnxValueInfo.Dim.fixed(c.numLabels());
            if (model.head() == BertHead.SEQUENCE_CLASSIFICATION) {
                String cls = g.node("Gather", "/pooler/Gather", List.of(last, g.scalarLong("/pooler/first", 0)),
                        OnnxAttribute.ofInt("axis", 1));
                String pooled = g.node("Tanh", "/pooler/activation/Tanh", List.of(linear(g, "pooler.dense", cls)));
                g.node("Identity", "/logits", List.of(linear(g, "classifier", pooled)), "logits");
                outputs.add(new OnnxValueInfo("logits", OnnxDataType.FLOAT, List.of(batch, labels)));
            } else {
                g.node("Identity", "/logits", List.of(linear(g, "classifier", last)), "logits");
                outputs.add(new OnnxValueInfo("logits", OnnxDataType.FLOAT, List.of(batch, seq, labels)));
            }
        }
        List<OnnxValueInfo> inputs = new ArrayList<>();
        for (String name : List.of("input_ids", "attention_mask", "token_type_ids")) {
            inputs.add(new OnnxValueInfo(name, OnnxDataType.INT64, List.of(batch, seq)));
        }
        OnnxGraph graph = new OnnxGraph("distill4j_bert", g.nodes, new ArrayList<>(g.initializers.values()),
                inputs, outputs);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(CONFIG_METADATA_KEY, c.toJsonObject().toString());
        metadata.put("distill4j.head", model.head().architecture());
        return new OnnxModel(IR_VERSION, "distill4j", "0.1.0", Map.of("", (long) OPSET), graph, metadata);
    }

    /** x @ W^T + b with W [out, in] as stored, under the module's names. */
    private static String linear(GraphBuilder g, String module, String x) {
        String path = nodePath(module);
        String wt = g.node("Transpose", path + "/Transpose", List.of(g.param(module + ".weight")),
                OnnxAttribute.ofInts("perm", 1, 0));
        String mm = g.node("MatMul", path + "/MatMul", List.of(x, wt));
        return g.node("Add", path + "/Add", List.of(g.param(module + ".bias"), mm));
    }

    /** "encoder.layer.0.attention.self.query" -> "/encoder/layer.0/attention/self/query", as torch names nodes. */
    static String nodePath(String module) {
        return "/" + module.replace('.', '/').replaceAll("/(\\d+)(?=/|$)", ".$1");
    }

    private static String layerNorm(GraphBuilder g, String module, String x, double eps) {
        String path = nodePath(module);
        return g.node("LayerNormalization", path + "/LayerNormalization",
                List.of(x, g.param(module + ".weight"), g.param(module + ".bias")),
                OnnxAttribute.ofInt("axis", -1), OnnxAttribute.ofFloat("epsilon", (float) eps));
    }

    private static String activation(GraphBuilder g, String path, String act, String x) {
        switch (act) {
            case "gelu" -> {
                // 0.5 x (1 + erf(x / sqrt(2)))
                String div = g.node("Div", path + "Div", List.of(x, g.scalarFloat(path + "sqrt2", (float) Math.sqrt(2))));
                String erf = g.node("Erf", path + "Erf", List.of(div));
                String plus = g.node("Add", path + "Add", List.of(erf, g.scalarFloat(path + "one", 1f)));
                String mul = g.node("Mul", path + "Mul", List.of(x, plus));
                return g.node("Mul", path + "Mul_1", List.of(mul, g.scalarFloat(path + "half", 0.5f)));
            }
            case "gelu_new", "gelu_pytorch_tanh" -> {
                // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
                String cube = g.node("Pow", path + "Pow", List.of(x, g.scalarFloat(path + "three", 3f)));
                String inner = g.node("Add", path + "Add",
                        List.of(x, g.node("Mul", path + "Mul", List.of(cube, g.scalarFloat(path + "c", 0.044715f)))));
                String scaled = g.node("Mul", path + "Mul_1",
                        List.of(inner, g.scalarFloat(path + "k", (float) Math.sqrt(2.0 / Math.PI))));
                String t = g.node("Tanh", path + "Tanh", List.of(scaled));
                String plus = g.node("Add", path + "Add_1", List.of(t, g.scalarFloat(path + "one", 1f)));
                String mul = g.node("Mul", path + "Mul_2", List.of(x, plus));
                return g.node("Mul", path + "Mul_3", List.of(mul, g.scalarFloat(path + "half", 0.5f)));
            }
            case "relu" -> {
                return g.node("Relu", path + "Relu", List.of(x));
            }
            default -> throw new IllegalArgumentException("hidden_act '" + act + "' cannot be exported");
        }
    }

    /** Accumulates nodes and initializers; value names are "<node name>_output_0" as torch exports them. */
    private static final class GraphBuilder {
        final List<OnnxNode> nodes = new ArrayList<>();
        final Map<String, OnnxTensorData> initializers = new LinkedHashMap<>();
        private final Map<String, Parameter> params;

        GraphBuilder(Map<String, Parameter> params) {
            this.params = params;
        }

        String param(String hfName) {
            if (!initializers.containsKey(hfName)) {
                Parameter p = params.get(hfName);
                if (p == null) {
                    throw new IllegalStateException("the model has no parameter '" + hfName + "'");
                }
                NDArray arr = p.getArray();
                initializers.put(hfName,
                        OnnxTensorData.ofFloats(hfName, arr.getShape().getShape(), arr.toFloatArray()));
            }
            return hfName;
        }

        String node(String op, String name, List<String> inputs, OnnxAttribute... attributes) {
            return node(op, name, inputs, name + "_output_0", attributes);
        }

        String node(String op, String name, List<String> inputs, String output, OnnxAttribute... attributes) {
            nodes.add(new OnnxNode(op, name, "", inputs, List.of(output), Arrays.asList(attributes)));
            return output;
        }

        String constant(String name, OnnxTensorData value) {
            return node("Constant", name, List.of(), OnnxAttribute.ofTensor("value", value));
        }

        String scalarLong(String name, long v) {
            return constant(name, OnnxTensorData.ofLongs("", new long[0], new long[] {v}));
        }

        String longs(String name, long... v) {
            return constant(name, OnnxTensorData.ofLongs("", new long[] {v.length}, v));
        }

        String scalarFloat(String name, float v) {
            return constant(name, OnnxTensorData.ofFloats("", new long[0], new float[] {v}));
        }
    }

    /**
     * Builder of {@link BertOnnxExporter}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private boolean logits;

        private Builder() {}

        /**
         * Adds the {@code logits} output (the model must have a classifier head).
         *
         * @param withLogits true to export the classification head too
         * @return this builder
         */
        public Builder optLogits(boolean withLogits) {
            this.logits = withLogits;
            return this;
        }

        /**
         * Builds the exporter.
         *
         * @return the exporter
         */
        public BertOnnxExporter build() {
            return new BertOnnxExporter(this);
        }
    }
}
