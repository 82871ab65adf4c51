package ai.distill4j.model.onnx;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports a BERT encoder exported to ONNX (e.g. by {@code torch.onnx.export} or HuggingFace Optimum) into a
 * {@link BertModel}.
 *
 * <p>Weights get their HuggingFace names back through {@code HfWeightNames}. Sizes come from the weight shapes:
 * vocabulary and hidden size from {@code embeddings.word_embeddings.weight}, positions and token types from their
 * embedding tables, the layer count from the {@code encoder.layer.N} names and the intermediate size from
 * {@code intermediate.dense.weight}. The head is {@link BertHead#SEQUENCE_CLASSIFICATION} when the graph holds a
 * pooler and a classifier, {@link BertHead#TOKEN_CLASSIFICATION} with a classifier only, else
 * {@link BertHead#NONE}.
 *
 * <p>Attention heads, LayerNorm epsilon and the activation are not in the shapes. Each is taken, first found: from
 * the builder's explicit option, from a base config (a HuggingFace {@code config.json}), from the graph's operators
 * (see {@code GraphHints}), else BERT's default (12 heads, 1e-12, {@code gelu}). A graph written by
 * {@link BertOnnxExporter} carries its {@code config.json} in the metadata, which then serves as the base config
 * (labels and dropout survive the round trip). Only graphs of plain operators
 * (MatMul/Gemm, Add, LayerNorm as ReduceMean... or LayerNormalization) are supported; graphs with fused
 * ONNX Runtime contrib operators ({@code Attention}, {@code SkipLayerNormalization}) or quantised weights are
 * rejected with a message saying so.
 *
 * <pre>{@code
 * BertOnnxImporter importer = BertOnnxImporter.builder().optNumAttentionHeads(12).build();
 * try (NDManager manager = NDManager.newBaseManager()) {
 *     ImportedBert imported = importer.load(Path.of("model.onnx"), manager);
 *     BertModels.save(imported.model(), Path.of("runs/teacher"), Path.of("tokenizer.json"));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class BertOnnxImporter {

    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
    private static final int DEFAULT_HEADS = 12;
    private static final double DEFAULT_EPS = 1e-12;
    private static final String DEFAULT_ACT = "gelu";

    private final Integer numAttentionHeads;
    private final Double layerNormEps;
    private final String hiddenAct;
    private final BertConfig baseConfig;

    private BertOnnxImporter(Builder b) {
        this.numAttentionHeads = b.numAttentionHeads;
        this.layerNormEps = b.layerNormEps;
        this.hiddenAct = b.hiddenAct;
        this.baseConfig = b.baseConfig;
    }

    /**
     * Starts a builder; with no options the importer reads what it can from the graph and falls back to BERT's
     * defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads an ONNX file and builds the model it holds, with parameters in {@code manager}.
     *
     * @param onnxFile the {@code .onnx} file
     * @param manager the long-lived manager that will own the parameters
     * @return the model and what was left out
     * @throws IOException if the file cannot be read or is not ONNX
     * @throws IllegalArgumentException if the graph is not a BERT encoder this importer understands
     */
    public ImportedBert load(Path onnxFile, NDManager manager) throws IOException {
        return load(OnnxModelReader.read(onnxFile), manager);
    }

    /**
     * Builds the model an ONNX graph holds, with parameters in {@code manager}.
     *
     * @param onnx the decoded model
     * @param manager the long-lived manager that will own the parameters
     * @return the model and what was left out
     * @throws IllegalArgumentException if the graph is not a BERT encoder this importer understands
     */
    public ImportedBert load(OnnxModel onnx, NDManager manager) {
        Objects.requireNonNull(manager, "manager");
        String storedConfig = onnx.metadata().get(BertOnnxExporter.CONFIG_METADATA_KEY);
        if (baseConfig == null && storedConfig != null) {
            // a distill4j export carries its config.json: labels and dropout survive the round trip
            BertConfig stored;
            try {
                stored = BertConfig.fromJsonObject(JsonParser.parseString(storedConfig).getAsJsonObject());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the ONNX metadata '" + BertOnnxExporter.CONFIG_METADATA_KEY
                        + "' is not a valid config.json: " + e.getMessage(), e);
            }
            return withBaseConfig(stored).load(onnx, manager);
        }
        checkSupportedOperators(onnx.graph());
        RecoveredWeights weights = HfWeightNames.recover(onnx.graph());
        BertConfig config = inferConfig(onnx.graph(), weights);
        BertHead head = inferHead(weights);
        BertModel model = new BertModel(config, head);
        model.initialize(manager);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            OnnxTensorData t = weights.tensors().get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
                continue;
            }
            NDArray target = e.getValue().getArray();
            Shape expected = target.getShape();
            if (!Arrays.equals(expected.getShape(), t.dims())) {
                throw new IllegalArgumentException("ONNX weight for '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.dims()) + " but the inferred config needs " + expected);
            }
            try (NDArray src = manager.create(t.toFloatArray(), expected)) {
                src.copyTo(target);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the ONNX graph has no weights for " + missing.size()
                    + " BERT parameters, e.g. " + missing.subList(0, Math.min(3, missing.size()))
                    + "; is it a BERT encoder exported with plain operators?");
        }
        List<String> dropped = new ArrayList<>(new TreeSet<>(weights.tensors().keySet()));
        dropped.removeAll(model.namedParameters().keySet());
        return new ImportedBert(model, config, head, weights.unusedInitializers(), dropped);
    }

    private BertOnnxImporter withBaseConfig(BertConfig config) {
        Builder b = builder().optBaseConfig(config);
        b.numAttentionHeads = numAttentionHeads;
        b.layerNormEps = layerNormEps;
        b.hiddenAct = hiddenAct;
        return b.build();
    }

    /**
     * Works out the config of the graph's model without building it: sizes from the weight shapes, heads,
     * epsilon and activation as described in the class documentation.
     *
     * @param graph the graph
     * @param weights its recovered weights
     * @return the config
     * @throws IllegalArgumentException if a size cannot be found or contradicts the base config
     */
    BertConfig inferConfig(OnnxGraph graph, RecoveredWeights weights) {
        OnnxTensorData words = weights.require("embeddings.word_embeddings.weight");
        long[] wd = words.dims();
        if (wd.length != 2) {
            throw new IllegalArgumentException(
                    "embeddings.word_embeddings.weight has shape " + Arrays.toString(wd) + ", expected [vocab, hidden]");
        }
        int vocab = Math.toIntExact(wd[0]);
        int hidden = Math.toIntExact(wd[1]);
        int positions = Math.toIntExact(weights.require("embeddings.position_embeddings.weight").dims()[0]);
        OnnxTensorData types = weights.tensors().get("embeddings.token_type_embeddings.weight");
        int typeVocab = types == null ? 0 : Math.toIntExact(types.dims()[0]);
        if (types == null) {
            throw new IllegalArgumentException("the ONNX graph has no embeddings.token_type_embeddings.weight;"
                    + " only BERT encoders (with token types) are supported");
        }
        int layers = 0;
        for (String name : weights.tensors().keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (layers == 0) {
            throw new IllegalArgumentException("the ONNX graph has no encoder.layer.N weights");
        }
        int intermediate = Math.toIntExact(weights.require("encoder.layer.0.intermediate.dense.weight").dims()[0]);

        GraphHints hints = GraphHints.of(graph, hidden);
        BertConfig.Builder b = baseConfig != null ? baseConfig.toBuilder() : BertConfig.builder();
        if (baseConfig != null) {
            agree("vocab_size", baseConfig.vocabSize(), vocab);
            agree("hidden_size", baseConfig.hiddenSize(), hidden);
            agree("num_hidden_layers", baseConfig.numHiddenLayers(), layers);
            agree("intermediate_size", baseConfig.intermediateSize(), intermediate);
            agree("max_position_embeddings", baseConfig.maxPositionEmbeddings(), positions);
            agree("type_vocab_size", baseConfig.typeVocabSize(), typeVocab);
        }
        int heads = numAttentionHeads != null ? numAttentionHeads
                : baseConfig != null ? baseConfig.numAttentionHeads()
                : hints.numAttentionHeads().orElse(DEFAULT_HEADS);
        if (heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException("num_attention_heads = " + heads + " must divide hidden_size = "
                    + hidden + " (from the ONNX weights)");
        }
        double eps = layerNormEps != null ? layerNormEps
                : baseConfig != null ? baseConfig.layerNormEps()
                : hints.layerNormEps().orElse(DEFAULT_EPS);
        String act = hiddenAct != null ? hiddenAct
                : baseConfig != null ? baseConfig.hiddenAct()
                : hints.hiddenAct().orElse(DEFAULT_ACT);
        b.vocabSize(vocab)
                .hiddenSize(hidden)
                .numHiddenLayers(layers)
                .numAttentionHeads(heads)
                .intermediateSize(intermediate)
                .maxPositionEmbeddings(positions)
                .typeVocabSize(typeVocab)
                .layerNormEps(eps)
                .hiddenAct(act);
        OnnxTensorData classifier = weights.tensors().get("classifier.weight");
        if (classifier != null) {
            int labels = Math.toIntExact(classifier.dims()[0]);
            if (baseConfig == null || baseConfig.numLabels() != labels) {
                b.numLabels(labels);
            }
        }
        return b.build();
    }

    /**
     * Chooses the head from the weights present.
     *
     * @param weights the recovered weights
     * @return the head
     */
    static BertHead inferHead(RecoveredWeights weights) {
        boolean classifier = weights.tensors().containsKey("classifier.weight");
        boolean pooler = weights.tensors().containsKey("pooler.dense.weight");
        if (classifier) {
            return pooler ? BertHead.SEQUENCE_CLASSIFICATION : BertHead.TOKEN_CLASSIFICATION;
        }
        return BertHead.NONE;
    }

    private static void agree(String field, int configValue, int onnxValue) {
        if (configValue != onnxValue) {
            throw new IllegalArgumentException("config field '" + field + "' = " + configValue
                    + " but the ONNX weights have " + onnxValue);
        }
    }

    private static void checkSupportedOperators(OnnxGraph graph) {
        for (OnnxNode n : graph.nodes()) {
            switch (n.opType()) {
                case "Attention", "MultiHeadAttention", "SkipLayerNormalization", "EmbedLayerNormalization",
                        "FastGelu", "BiasGelu", "SkipSimplifiedLayerNormalization" ->
                    throw new IllegalArgumentException("the ONNX graph uses the fused ONNX Runtime operator '"
                            + n.opType() + "'; export it without graph optimisation (plain operators)");
                case "MatMulInteger", "DynamicQuantizeLinear", "QLinearMatMul", "DequantizeLinear" ->
                    throw new IllegalArgumentException("the ONNX graph is quantised (operator '" + n.opType()
                            + "'); import the float32 export instead");
                default -> {
                    // plain operator
                }
            }
        }
    }

    /**
     * Builder of {@link BertOnnxImporter}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private Integer numAttentionHeads;
        private Double layerNormEps;
        private String hiddenAct;
        private BertConfig baseConfig;

        private Builder() {}

        /**
         * Sets the attention head count (all-MiniLM-L6-v2 and BERT-base: 12).
         *
         * @param heads a positive divisor of the hidden size
         * @return this builder
         */
        public Builder optNumAttentionHeads(int heads) {
            if (heads <= 0) {
                throw new IllegalArgumentException("numAttentionHeads = " + heads + " must be positive");
            }
            this.numAttentionHeads = heads;
            return this;
        }

        /**
         * Sets the LayerNorm epsilon.
         *
         * @param eps a positive epsilon (BERT: 1e-12)
         * @return this builder
         */
        public Builder optLayerNormEps(double eps) {
            if (!(eps > 0 && eps < 1)) {
                throw new IllegalArgumentException("layerNormEps = " + eps + " must be in (0, 1)");
            }
            this.layerNormEps = eps;
            return this;
        }

        /**
         * Sets the feed-forward activation.
         *
         * @param act one of {@link BertConfig#SUPPORTED_ACTIVATIONS}
         * @return this builder
         */
        public Builder optHiddenAct(String act) {
            if (!BertConfig.SUPPORTED_ACTIVATIONS.contains(act)) {
                throw new IllegalArgumentException("hiddenAct = '" + act + "' must be one of "
                        + new TreeSet<>(BertConfig.SUPPORTED_ACTIVATIONS));
            }
            this.hiddenAct = act;
            return this;
        }

        /**
         * Sets a base config (e.g. the model's HuggingFace {@code config.json}): its sizes must match the weights;
         * its heads, epsilon, activation, labels and other fields are kept unless set on this builder.
         *
         * @param config the base config
         * @return this builder
         */
        public Builder optBaseConfig(BertConfig config) {
            this.baseConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Builds the importer.
         *
         * @return the importer
         */
        public BertOnnxImporter build() {
            return new BertOnnxImporter(this);
        }
    }
}
