package ai.distill4j.model.bert;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The hyper-parameters of a BERT model, with the field names and meanings of HuggingFace's {@code config.json}
 * ({@code transformers.BertConfig}). Immutable; build it with {@link #builder()} or {@link #read(Path)}.
 *
 * <p>Fields the class does not model (e.g. {@code transformers_version}, {@code use_cache}) are kept verbatim and
 * written back by {@link #write(Path)}, so a config survives a read/write round trip.
 *
 * @since 0.1.0
 */
public final class BertConfig {

    /** The largest {@code num_labels} accepted (a guard against corrupt configs allocating huge heads). */
    public static final int MAX_LABELS = 100_000;

    /** The activations the model implements, by their HuggingFace names. */
    public static final Set<String> SUPPORTED_ACTIVATIONS = Set.of("gelu", "gelu_new", "gelu_pytorch_tanh", "relu");

    private static final Gson GSON = new GsonBuilder().serializeNulls().setPrettyPrinting().create();

    /** Fields modelled by this class; everything else goes to {@link #extraFields()}. */
    private static final Set<String> KNOWN = Set.of(
            "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
            "hidden_act", "hidden_dropout_prob", "attention_probs_dropout_prob", "max_position_embeddings",
            "type_vocab_size", "layer_norm_eps", "initializer_range", "pad_token_id", "num_labels", "id2label",
            "label2id", "problem_type", "classifier_dropout", "architectures", "model_type",
            "position_embedding_type");

    private final int vocabSize;
    private final int hiddenSize;
    private final int numHiddenLayers;
    private final int numAttentionHeads;
    private final int intermediateSize;
    private final String hiddenAct;
    private final double hiddenDropoutProb;
    private final double attentionProbsDropoutProb;
    private final int maxPositionEmbeddings;
    private final int typeVocabSize;
    private final double layerNormEps;
    private final double initializerRange;
    private final Integer padTokenId;
    private final Map<Integer, String> id2label;
    private final Map<String, Integer> label2id;
    private final String problemType;
    private final Double classifierDropout;
    private final List<String> architectures;
    private final String modelType;
    private final String positionEmbeddingType;
    private final JsonObject extraFields;

    private BertConfig(Builder b) {
        vocabSize = b.vocabSize;
        hiddenSize = b.hiddenSize;
        numHiddenLayers = b.numHiddenLayers;
        numAttentionHeads = b.numAttentionHeads;
        intermediateSize = b.intermediateSize;
        hiddenAct = b.hiddenAct;
        hiddenDropoutProb = b.hiddenDropoutProb;
        attentionProbsDropoutProb = b.attentionProbsDropoutProb;
        maxPositionEmbeddings = b.maxPositionEmbeddings;
        typeVocabSize = b.typeVocabSize;
        layerNormEps = b.layerNormEps;
        initializerRange = b.initializerRange;
        padTokenId = b.padTokenId;
        problemType = b.problemType;
        classifierDropout = b.classifierDropout;
        architectures = List.copyOf(b.architectures);
        modelType = b.modelType;
        positionEmbeddingType = b.positionEmbeddingType;
        extraFields = b.extraFields.deepCopy();
        Map<Integer, String> i2l = new TreeMap<>();
        if (b.id2label == null && b.numLabels > MAX_LABELS) {
            throw new IllegalArgumentException("config field 'num_labels' = " + b.numLabels + " must be at most "
                    + MAX_LABELS);
        }
        if (b.id2label != null) {
            i2l.putAll(b.id2label);
        } else {
            for (int i = 0; i < b.numLabels; i++) {
                i2l.put(i, "LABEL_" + i);
            }
        }
        id2label = Collections.unmodifiableMap(i2l);
        Map<String, Integer> l2i = new LinkedHashMap<>();
        if (b.label2id != null) {
            l2i.putAll(b.label2id);
        } else {
            i2l.forEach((k, v) -> l2i.put(v, k));
        }
        label2id = Collections.unmodifiableMap(l2i);
        validate(b.numLabels);
    }

    private void validate(int numLabelsRequested) {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        positive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("config field 'hidden_size' = " + hiddenSize
                    + " must be a multiple of 'num_attention_heads' = " + numAttentionHeads);
        }
        if (!SUPPORTED_ACTIVATIONS.contains(hiddenAct)) {
            throw new IllegalArgumentException("config field 'hidden_act' = '" + hiddenAct
                    + "' is not supported; use one of " + new java.util.TreeSet<>(SUPPORTED_ACTIVATIONS));
        }
        probability("hidden_dropout_prob", hiddenDropoutProb);
        probability("attention_probs_dropout_prob", attentionProbsDropoutProb);
        if (classifierDropout != null) {
            probability("classifier_dropout", classifierDropout);
        }
        if (!(layerNormEps > 0) || !Double.isFinite(layerNormEps)) {
            throw new IllegalArgumentException("config field 'layer_norm_eps' = " + layerNormEps
                    + " must be a finite number > 0");
        }
        if (!(initializerRange > 0) || !Double.isFinite(initializerRange)) {
            throw new IllegalArgumentException("config field 'initializer_range' = " + initializerRange
                    + " must be a finite number > 0");
        }
        if (padTokenId != null && (padTokenId < 0 || padTokenId >= vocabSize)) {
            throw new IllegalArgumentException("config field 'pad_token_id' = " + padTokenId
                    + " must be in [0, vocab_size = " + vocabSize + ")");
        }
        if (!"bert".equals(modelType)) {
            throw new IllegalArgumentException("config field 'model_type' = '" + modelType
                    + "' is not supported; only 'bert' checkpoints can be loaded");
        }
        if (!"absolute".equals(positionEmbeddingType)) {
            throw new IllegalArgumentException("config field 'position_embedding_type' = '" + positionEmbeddingType
                    + "' is not supported; only 'absolute' is implemented");
        }
        if (id2label.isEmpty()) {
            throw new IllegalArgumentException("config field 'num_labels' = " + numLabelsRequested
                    + " must be > 0 (id2label is empty)");
        }
        for (int i = 0; i < id2label.size(); i++) {
            if (!id2label.containsKey(i)) {
                throw new IllegalArgumentException("config field 'id2label' = " + id2label
                        + " must have the keys 0.." + (id2label.size() - 1));
            }
        }
        if (label2id.size() != id2label.size()) {
            throw new IllegalArgumentException("config field 'label2id' = " + label2id + " has " + label2id.size()
                    + " entries but 'id2label' has " + id2label.size());
        }
        if (problemType != null && !Set.of("regression", "single_label_classification",
                "multi_label_classification").contains(problemType)) {
            throw new IllegalArgumentException("config field 'problem_type' = '" + problemType
                    + "' must be regression, single_label_classification or multi_label_classification");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("config field '" + field + "' = " + value + " must be > 0");
        }
    }

    private static void probability(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("config field '" + field + "' = " + value + " must be in [0, 1)");
        }
    }

    /**
     * Starts a builder with HuggingFace's {@code BertConfig} defaults (BERT-base, 2 labels).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding this config's values, to derive a changed copy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.vocabSize = vocabSize;
        b.hiddenSize = hiddenSize;
        b.numHiddenLayers = numHiddenLayers;
        b.numAttentionHeads = numAttentionHeads;
        b.intermediateSize = intermediateSize;
        b.hiddenAct = hiddenAct;
        b.hiddenDropoutProb = hiddenDropoutProb;
        b.attentionProbsDropoutProb = attentionProbsDropoutProb;
        b.maxPositionEmbeddings = maxPositionEmbeddings;
        b.typeVocabSize = typeVocabSize;
        b.layerNormEps = layerNormEps;
        b.initializerRange = initializerRange;
        b.padTokenId = padTokenId;
        b.numLabels = id2label.size();
        b.id2label = new LinkedHashMap<>(id2label);
        b.label2id = new LinkedHashMap<>(label2id);
        b.problemType = problemType;
        b.classifierDropout = classifierDropout;
        b.architectures = new ArrayList<>(architectures);
        b.modelType = modelType;
        b.positionEmbeddingType = positionEmbeddingType;
        b.extraFields = extraFields.deepCopy();
        return b;
    }

    /**
     * Reads a HuggingFace {@code config.json}.
     *
     * @param configJson the file
     * @return the config
     * @throws IOException when the file cannot be read, is not JSON, or holds an invalid value (the message names
     *     the file and the field)
     */
    public static BertConfig read(Path configJson) throws IOException {
        JsonElement root;
        try (Reader r = Files.newBufferedReader(configJson, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(r);
        } catch (JsonParseException e) {
            throw new IOException(configJson + ": not valid JSON: " + oneLine(e.getMessage()), e);
        }
        if (!root.isJsonObject()) {
            throw new IOException(configJson + ": expected a JSON object at the top level");
        }
        try {
            return fromJsonObject(root.getAsJsonObject());
        } catch (IllegalArgumentException e) {
            throw new IOException(configJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds a config from the JSON object of a {@code config.json}.
     *
     * @param json the object
     * @return the config
     * @throws IllegalArgumentException when a field has the wrong type or an invalid value (the message names it)
     */
    public static BertConfig fromJsonObject(JsonObject json) {
        Builder b = builder();
        b.vocabSize = intField(json, "vocab_size", b.vocabSize);
        b.hiddenSize = intField(json, "hidden_size", b.hiddenSize);
        b.numHiddenLayers = intField(json, "num_hidden_layers", b.numHiddenLayers);
        b.numAttentionHeads = intField(json, "num_attention_heads", b.numAttentionHeads);
        b.intermediateSize = intField(json, "intermediate_size", b.intermediateSize);
        b.hiddenAct = stringField(json, "hidden_act", b.hiddenAct);
        b.hiddenDropoutProb = doubleField(json, "hidden_dropout_prob", b.hiddenDropoutProb);
        b.attentionProbsDropoutProb = doubleField(json, "attention_probs_dropout_prob", b.attentionProbsDropoutProb);
        b.maxPositionEmbeddings = intField(json, "max_position_embeddings", b.maxPositionEmbeddings);
        b.typeVocabSize = intField(json, "type_vocab_size", b.typeVocabSize);
        b.layerNormEps = doubleField(json, "layer_norm_eps", b.layerNormEps);
        b.initializerRange = doubleField(json, "initializer_range", b.initializerRange);
        if (json.has("pad_token_id")) {
            b.padTokenId = json.get("pad_token_id").isJsonNull() ? null : intField(json, "pad_token_id", 0);
        }
        b.problemType = nullableString(json, "problem_type");
        if (json.has("classifier_dropout") && !json.get("classifier_dropout").isJsonNull()) {
            b.classifierDropout = doubleField(json, "classifier_dropout", 0);
        }
        b.modelType = stringField(json, "model_type", b.modelType);
        b.positionEmbeddingType = stringField(json, "position_embedding_type", b.positionEmbeddingType);
        if (json.has("architectures") && !json.get("architectures").isJsonNull()) {
            JsonElement a = json.get("architectures");
            if (!a.isJsonArray()) {
                throw new IllegalArgumentException("config field 'architectures' must be a list of strings, got " + a);
            }
            List<String> arch = new ArrayList<>();
            for (JsonElement e : a.getAsJsonArray()) {
                arch.add(stringValue("architectures", e));
            }
            b.architectures = arch;
        }
        if (json.has("id2label") && !json.get("id2label").isJsonNull()) {
            JsonElement e = json.get("id2label");
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("config field 'id2label' must be an object, got " + e);
            }
            Map<Integer, String> m = new TreeMap<>();
            for (Map.Entry<String, JsonElement> en : e.getAsJsonObject().entrySet()) {
                try {
                    m.put(Integer.parseInt(en.getKey()), stringValue("id2label." + en.getKey(), en.getValue()));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("config field 'id2label' has the key '" + en.getKey()
                            + "', which is not an integer", ex);
                }
            }
            b.id2label = m;
            b.numLabels = m.size();
        }
        if (json.has("label2id") && !json.get("label2id").isJsonNull()) {
            JsonElement e = json.get("label2id");
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("config field 'label2id' must be an object, got " + e);
            }
            Map<String, Integer> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> en : e.getAsJsonObject().entrySet()) {
                m.put(en.getKey(), intValue("label2id." + en.getKey(), en.getValue()));
            }
            b.label2id = m;
        }
        if (json.has("num_labels") && !json.get("num_labels").isJsonNull()) {
            int n = intField(json, "num_labels", 2);
            if (b.id2label != null && b.id2label.size() != n) {
                throw new IllegalArgumentException("config field 'num_labels' = " + n + " disagrees with 'id2label' ("
                        + b.id2label.size() + " entries)");
            }
            if (b.id2label == null) {
                b.numLabels(n);
            }
        }
        JsonObject extra = new JsonObject();
        for (Map.Entry<String, JsonElement> en : json.entrySet()) {
            if (!KNOWN.contains(en.getKey())) {
                extra.add(en.getKey(), en.getValue().deepCopy());
            }
        }
        b.extraFields = extra;
        return b.build();
    }

    /**
     * Returns this config as the JSON object of a HuggingFace {@code config.json}: the modelled fields, then the
     * unmodelled fields read from the original file ({@code torch_dtype} is forced to {@code float32}, the dtype
     * distill4j writes).
     *
     * @return a new JSON object
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        architectures.forEach(arch::add);
        o.add("architectures", arch);
        o.addProperty("model_type", modelType);
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("num_hidden_layers", numHiddenLayers);
        o.addProperty("num_attention_heads", numAttentionHeads);
        o.addProperty("intermediate_size", intermediateSize);
        o.addProperty("hidden_act", hiddenAct);
        o.addProperty("hidden_dropout_prob", hiddenDropoutProb);
        o.addProperty("attention_probs_dropout_prob", attentionProbsDropoutProb);
        o.addProperty("max_position_embeddings", maxPositionEmbeddings);
        o.addProperty("type_vocab_size", typeVocabSize);
        o.addProperty("initializer_range", initializerRange);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.add("pad_token_id", padTokenId == null ? JsonNull.INSTANCE : new JsonPrimitive(padTokenId));
        o.addProperty("position_embedding_type", positionEmbeddingType);
        o.add("classifier_dropout", classifierDropout == null ? JsonNull.INSTANCE : new JsonPrimitive(classifierDropout));
        if (problemType != null) {
            o.addProperty("problem_type", problemType);
        }
        JsonObject i2l = new JsonObject();
        id2label.forEach((k, v) -> i2l.addProperty(Integer.toString(k), v));
        o.add("id2label", i2l);
        JsonObject l2i = new JsonObject();
        label2id.forEach(l2i::addProperty);
        o.add("label2id", l2i);
        for (Map.Entry<String, JsonElement> en : extraFields.entrySet()) {
            o.add(en.getKey(), en.getValue().deepCopy());
        }
        if (o.has("torch_dtype")) {
            o.addProperty("torch_dtype", "float32");
        }
        return o;
    }

    /**
     * Writes this config as a HuggingFace {@code config.json} (UTF-8, pretty-printed), atomically: the content goes
     * to a temporary file in the same folder that is then renamed over {@code configJson}.
     *
     * @param configJson the file to write
     * @throws IOException when the file cannot be written
     */
    public void write(Path configJson) throws IOException {
        Path abs = configJson.toAbsolutePath();
        // a sibling temp file created with the default permissions (Files.createTempFile would make it 0600)
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + System.nanoTime() + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                GSON.toJson(toJsonObject(), w);
                w.write('\n');
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Returns the size of one attention head, {@code hidden_size / num_attention_heads}.
     *
     * @return the head size
     */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /**
     * Returns the vocabulary size.
     *
     * @return {@code vocab_size}
     */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * Returns the hidden size.
     *
     * @return {@code hidden_size}
     */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * Returns the number of encoder layers.
     *
     * @return {@code num_hidden_layers}
     */
    public int numHiddenLayers() {
        return numHiddenLayers;
    }

    /**
     * Returns the number of attention heads per layer.
     *
     * @return {@code num_attention_heads}
     */
    public int numAttentionHeads() {
        return numAttentionHeads;
    }

    /**
     * Returns the size of the feed-forward layer.
     *
     * @return {@code intermediate_size}
     */
    public int intermediateSize() {
        return intermediateSize;
    }

    /**
     * Returns the feed-forward activation: {@code gelu} (exact, erf), {@code gelu_new} / {@code gelu_pytorch_tanh}
     * (tanh approximation) or {@code relu}.
     *
     * @return {@code hidden_act}
     */
    public String hiddenAct() {
        return hiddenAct;
    }

    /**
     * Returns the dropout probability of the embeddings, the sub-layer outputs and (by default) the classifier.
     *
     * @return {@code hidden_dropout_prob}
     */
    public double hiddenDropoutProb() {
        return hiddenDropoutProb;
    }

    /**
     * Returns the dropout probability applied to the attention probabilities.
     *
     * @return {@code attention_probs_dropout_prob}
     */
    public double attentionProbsDropoutProb() {
        return attentionProbsDropoutProb;
    }

    /**
     * Returns the number of learned positions (the longest sequence the model accepts).
     *
     * @return {@code max_position_embeddings}
     */
    public int maxPositionEmbeddings() {
        return maxPositionEmbeddings;
    }

    /**
     * Returns the number of token types (segments).
     *
     * @return {@code type_vocab_size}
     */
    public int typeVocabSize() {
        return typeVocabSize;
    }

    /**
     * Returns the LayerNorm epsilon.
     *
     * @return {@code layer_norm_eps}
     */
    public double layerNormEps() {
        return layerNormEps;
    }

    /**
     * Returns the standard deviation of the normal weight initialisation.
     *
     * @return {@code initializer_range}
     */
    public double initializerRange() {
        return initializerRange;
    }

    /**
     * Returns the padding token id, or null when the config has none.
     *
     * @return {@code pad_token_id}
     */
    public Integer padTokenId() {
        return padTokenId;
    }

    /**
     * Returns the number of labels of a classification head ({@code id2label.size()}).
     *
     * @return {@code num_labels}
     */
    public int numLabels() {
        return id2label.size();
    }

    /**
     * Returns the label names by class index.
     *
     * @return {@code id2label}, unmodifiable, sorted by index
     */
    public Map<Integer, String> id2label() {
        return id2label;
    }

    /**
     * Returns the class indices by label name.
     *
     * @return {@code label2id}, unmodifiable
     */
    public Map<String, Integer> label2id() {
        return label2id;
    }

    /**
     * Returns the HuggingFace problem type, or null when unset.
     *
     * @return {@code problem_type}
     */
    public String problemType() {
        return problemType;
    }

    /**
     * Returns the classifier dropout, or null to use {@link #hiddenDropoutProb()}.
     *
     * @return {@code classifier_dropout}
     */
    public Double classifierDropout() {
        return classifierDropout;
    }

    /**
     * Returns the dropout the classification head actually applies: {@code classifier_dropout} when set, else
     * {@code hidden_dropout_prob} (as HuggingFace does).
     *
     * @return the effective classifier dropout
     */
    public double effectiveClassifierDropout() {
        return classifierDropout != null ? classifierDropout : hiddenDropoutProb;
    }

    /**
     * Returns the HuggingFace class names the checkpoint was saved from.
     *
     * @return {@code architectures}, unmodifiable
     */
    public List<String> architectures() {
        return architectures;
    }

    /**
     * Returns the model type, always {@code bert}.
     *
     * @return {@code model_type}
     */
    public String modelType() {
        return modelType;
    }

    /**
     * Returns the position embedding type, always {@code absolute}.
     *
     * @return {@code position_embedding_type}
     */
    public String positionEmbeddingType() {
        return positionEmbeddingType;
    }

    /**
     * Returns the {@code config.json} fields this class does not model, kept for writing back.
     *
     * @return a copy of the unmodelled fields
     */
    public JsonObject extraFields() {
        return extraFields.deepCopy();
    }

    /**
     * Returns the head an HF {@code architectures} entry implies: {@code *ForSequenceClassification} gives
     * {@link BertHead#SEQUENCE_CLASSIFICATION}, {@code *ForTokenClassification} gives
     * {@link BertHead#TOKEN_CLASSIFICATION}, anything else {@link BertHead#NONE}.
     *
     * @return the head the config describes
     */
    public BertHead impliedHead() {
        for (String a : architectures) {
            if (a.endsWith("ForSequenceClassification")) {
                return BertHead.SEQUENCE_CLASSIFICATION;
            }
            if (a.endsWith("ForTokenClassification")) {
                return BertHead.TOKEN_CLASSIFICATION;
            }
        }
        return BertHead.NONE;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BertConfig c)) {
            return false;
        }
        return toJsonObject().equals(c.toJsonObject());
    }

    @Override
    public int hashCode() {
        return toJsonObject().hashCode();
    }

    @Override
    public String toString() {
        return "BertConfig{vocab=" + vocabSize + ", hidden=" + hiddenSize + ", layers=" + numHiddenLayers
                + ", heads=" + numAttentionHeads + ", intermediate=" + intermediateSize + ", act=" + hiddenAct
                + ", labels=" + id2label.size() + "}";
    }

    private static int intField(JsonObject json, String field, int dflt) {
        JsonElement e = json.get(field);
        if (e == null || e.isJsonNull()) {
            return dflt;
        }
        return intValue(field, e);
    }

    private static int intValue(String field, JsonElement e) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double d = e.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new IllegalArgumentException("config field '" + field + "' must be an integer, got " + e);
    }

    private static String stringValue(String field, JsonElement e) {
        if (e != null && e.isJsonPrimitive()) {
            return e.getAsString();
        }
        throw new IllegalArgumentException("config field '" + field + "' must be a string, got " + e);
    }

    private static double doubleField(JsonObject json, String field, double dflt) {
        JsonElement e = json.get(field);
        if (e == null || e.isJsonNull()) {
            return dflt;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            return e.getAsDouble();
        }
        throw new IllegalArgumentException("config field '" + field + "' must be a number, got " + e);
    }

    private static String stringField(JsonObject json, String field, String dflt) {
        String s = nullableString(json, field);
        return s == null ? dflt : s;
    }

    private static String nullableString(JsonObject json, String field) {
        JsonElement e = json.get(field);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        throw new IllegalArgumentException("config field '" + field + "' must be a string, got " + e);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ");
    }

    /**
     * Builder of {@link BertConfig}; starts from HuggingFace's defaults (BERT-base uncased, 2 labels).
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private int vocabSize = 30522;
        private int hiddenSize = 768;
        private int numHiddenLayers = 12;
        private int numAttentionHeads = 12;
        private int intermediateSize = 3072;
        private String hiddenAct = "gelu";
        private double hiddenDropoutProb = 0.1;
        private double attentionProbsDropoutProb = 0.1;
        private int maxPositionEmbeddings = 512;
        private int typeVocabSize = 2;
        private double layerNormEps = 1e-12;
        private double initializerRange = 0.02;
        private Integer padTokenId = 0;
        private int numLabels = 2;
        private Map<Integer, String> id2label;
        private Map<String, Integer> label2id;
        private String problemType;
        private Double classifierDropout;
        private List<String> architectures = new ArrayList<>();
        private String modelType = "bert";
        private String positionEmbeddingType = "absolute";
        private JsonObject extraFields = new JsonObject();

        private Builder() {}

        /**
         * Sets {@code vocab_size}.
         *
         * @param v the vocabulary size
         * @return this builder
         */
        public Builder vocabSize(int v) {
            vocabSize = v;
            return this;
        }

        /**
         * Sets {@code hidden_size}.
         *
         * @param v the hidden size
         * @return this builder
         */
        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        /**
         * Sets {@code num_hidden_layers}.
         *
         * @param v the number of encoder layers
         * @return this builder
         */
        public Builder numHiddenLayers(int v) {
            numHiddenLayers = v;
            return this;
        }

        /**
         * Sets {@code num_attention_heads}.
         *
         * @param v the number of heads
         * @return this builder
         */
        public Builder numAttentionHeads(int v) {
            numAttentionHeads = v;
            return this;
        }

        /**
         * Sets {@code intermediate_size}.
         *
         * @param v the feed-forward size
         * @return this builder
         */
        public Builder intermediateSize(int v) {
            intermediateSize = v;
            return this;
        }

        /**
         * Sets {@code hidden_act}.
         *
         * @param v one of {@link #SUPPORTED_ACTIVATIONS}
         * @return this builder
         */
        public Builder hiddenAct(String v) {
            hiddenAct = Objects.requireNonNull(v, "hidden_act");
            return this;
        }

        /**
         * Sets {@code hidden_dropout_prob}.
         *
         * @param v a probability in [0, 1)
         * @return this builder
         */
        public Builder hiddenDropoutProb(double v) {
            hiddenDropoutProb = v;
            return this;
        }

        /**
         * Sets {@code attention_probs_dropout_prob}.
         *
         * @param v a probability in [0, 1)
         * @return this builder
         */
        public Builder attentionProbsDropoutProb(double v) {
            attentionProbsDropoutProb = v;
            return this;
        }

        /**
         * Sets {@code max_position_embeddings}.
         *
         * @param v the number of positions
         * @return this builder
         */
        public Builder maxPositionEmbeddings(int v) {
            maxPositionEmbeddings = v;
            return this;
        }

        /**
         * Sets {@code type_vocab_size}.
         *
         * @param v the number of token types
         * @return this builder
         */
        public Builder typeVocabSize(int v) {
            typeVocabSize = v;
            return this;
        }

        /**
         * Sets {@code layer_norm_eps}.
         *
         * @param v a positive epsilon
         * @return this builder
         */
        public Builder layerNormEps(double v) {
            layerNormEps = v;
            return this;
        }

        /**
         * Sets {@code initializer_range}.
         *
         * @param v the standard deviation of the weight initialisation
         * @return this builder
         */
        public Builder initializerRange(double v) {
            initializerRange = v;
            return this;
        }

        /**
         * Sets {@code pad_token_id}.
         *
         * @param v the padding id, or null for none
         * @return this builder
         */
        public Builder padTokenId(Integer v) {
            padTokenId = v;
            return this;
        }

        /**
         * Sets the number of labels and resets the label names to {@code LABEL_0 .. LABEL_{n-1}}.
         *
         * @param n the number of labels
         * @return this builder
         */
        public Builder numLabels(int n) {
            numLabels = n;
            id2label = null;
            label2id = null;
            return this;
        }

        /**
         * Sets the label names by index (which also sets the number of labels); {@code label2id} becomes the
         * inverse map.
         *
         * @param v names for indices 0..n-1
         * @return this builder
         */
        public Builder id2label(Map<Integer, String> v) {
            id2label = new TreeMap<>(v);
            numLabels = v.size();
            label2id = null;
            return this;
        }

        /**
         * Sets {@code problem_type}.
         *
         * @param v regression, single_label_classification, multi_label_classification, or null
         * @return this builder
         */
        public Builder problemType(String v) {
            problemType = v;
            return this;
        }

        /**
         * Sets {@code classifier_dropout}.
         *
         * @param v a probability, or null to use {@code hidden_dropout_prob}
         * @return this builder
         */
        public Builder classifierDropout(Double v) {
            classifierDropout = v;
            return this;
        }

        /**
         * Sets {@code architectures}.
         *
         * @param v the HuggingFace class names
         * @return this builder
         */
        public Builder architectures(List<String> v) {
            architectures = new ArrayList<>(v);
            return this;
        }

        /**
         * Sets the unmodelled fields written back to {@code config.json}.
         *
         * @param v the fields (copied)
         * @return this builder
         */
        public Builder extraFields(JsonObject v) {
            JsonObject copy = new JsonObject();
            for (Map.Entry<String, JsonElement> en : v.entrySet()) {
                if (KNOWN.contains(en.getKey())) {
                    throw new IllegalArgumentException("extra config field '" + en.getKey()
                            + "' is a modelled field; set it with its builder method");
                }
                copy.add(en.getKey(), en.getValue().deepCopy());
            }
            extraFields = copy;
            return this;
        }

        /**
         * Validates and builds the config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the field, its value and the rule it breaks
         */
        public BertConfig build() {
            return new BertConfig(this);
        }
    }
}
