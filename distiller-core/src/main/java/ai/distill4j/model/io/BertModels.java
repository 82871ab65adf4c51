package ai.distill4j.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and saves {@link BertModel}s as HuggingFace model folders: {@code config.json}, {@code model.safetensors}
 * (or a sharded {@code model.safetensors.index.json}) and, when present, {@code tokenizer.json}.
 *
 * <p>Loading accepts the tensor names of {@code BertModel} ({@code embeddings.*}, {@code encoder.*},
 * {@code pooler.*}) and of the task models ({@code bert.}-prefixed encoder, {@code bert.pooler.*},
 * {@code classifier.*}), and the old TensorFlow-port names {@code LayerNorm.gamma}/{@code LayerNorm.beta}. It
 * ignores {@code embeddings.position_ids} and reports unused tensors such as the {@code cls.*} pre-training heads.
 * Head tensors the checkpoint lacks are initialised N(0, initializer_range) with zero biases and reported, as
 * HuggingFace does; a missing embedding or encoder tensor, or a shape that disagrees with {@code config.json}, is
 * an error naming the file and the tensor. F32, F16, BF16 and F64 checkpoints load (as float32).
 *
 * <p>Saving writes float32 tensors with exactly the names HuggingFace's {@code save_pretrained} uses for the head:
 * no prefix for {@link BertHead#NONE}, {@code bert.} before everything but {@code classifier.*} otherwise, so a
 * saved classifier loads with {@code BertForSequenceClassification.from_pretrained(dir)}.
 *
 * @since 0.1.0
 */
public final class BertModels {

    /** The config file name. */
    public static final String CONFIG = "config.json";
    /** The weights file name. */
    public static final String WEIGHTS = "model.safetensors";
    /** The index file of sharded weights. */
    public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
    /** The tokenizer file name. */
    public static final String TOKENIZER = "tokenizer.json";
    /** The PyTorch pickle weights file name (not readable; see the conversion hint in the error). */
    public static final String PYTORCH_WEIGHTS = "pytorch_model.bin";

    private static final Set<String> IGNORED = Set.of("embeddings.position_ids", "embeddings.token_type_ids");

    private BertModels() {}

    /**
     * Loads a HuggingFace BERT folder with the head its {@code config.json} names in {@code architectures}
     * ({@link BertConfig#impliedHead()}).
     *
     * @param dir the model folder
     * @param manager the long-lived manager that will own the parameters
     * @return the model and a report of the load
     * @throws IOException when a file is missing, unreadable or inconsistent (the message names file and tensor)
     */
    public static LoadedBert load(Path dir, NDManager manager) throws IOException {
        return load(dir, manager, null);
    }

    /**
     * Loads a HuggingFace BERT folder with a chosen head, e.g. a {@code BertModel} checkpoint as the start of a
     * sequence classifier (the head is then initialised and reported).
     *
     * @param dir the model folder
     * @param manager the long-lived manager that will own the parameters
     * @param head the head, or null for the one {@code config.json} implies
     * @return the model and a report of the load
     * @throws IOException when a file is missing, unreadable or inconsistent (the message names file and tensor)
     */
    public static LoadedBert load(Path dir, NDManager manager, BertHead head) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder; expected a HuggingFace model folder with " + CONFIG
                    + " and " + WEIGHTS);
        }
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new IOException(configFile + ": missing; a HuggingFace model folder needs " + CONFIG + " and "
                    + WEIGHTS);
        }
        BertConfig config = BertConfig.read(configFile);
        List<Path> weightFiles = weightFiles(dir);
        checkSizeBeforeAllocating(config, configFile, weightFiles);
        BertHead chosen = head != null ? head : config.impliedHead();
        BertModel model = new BertModel(config, chosen);
        Map<String, Parameter> params = model.namedParameters();

        // Allocate zeros (cheap) and replace each parameter's storage with the checkpoint data.
        model.setInitializer(Initializer.ZEROS, p -> true);
        model.initialize(manager, DataType.FLOAT32);

        Map<String, String> loadedFrom = new HashMap<>();
        List<String> unused = new ArrayList<>();
        try {
            for (Path file : weightFiles) {
                try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                    for (TensorInfo t : reader.tensors().values()) {
                        String key = canonicalName(t.name());
                        if (IGNORED.contains(key)) {
                            continue;
                        }
                        Parameter p = params.get(key);
                        if (p == null || loadedFrom.containsKey(key)) {
                            unused.add(t.name());
                            continue;
                        }
                        long[] expected = p.getShape().getShape();
                        if (!Arrays.equals(expected, t.shape())) {
                            throw new IOException(file + ": tensor '" + t.name() + "': shape " + t.shapeString()
                                    + " disagrees with " + CONFIG + " (expected " + Arrays.toString(expected) + ")");
                        }
                        if (!t.dtype().isFloating()) {
                            throw new IOException(file + ": tensor '" + t.name() + "': dtype " + t.dtype()
                                    + " is not a floating-point type");
                        }
                        ByteBuffer data = reader.readFloat32(t.name());
                        p.getArray().set(data);
                        loadedFrom.put(key, t.name());
                    }
                }
            }
            List<String> initialised = new ArrayList<>();
            Path firstFile = weightFiles.get(0);
            for (Map.Entry<String, Parameter> en : params.entrySet()) {
                String key = en.getKey();
                if (loadedFrom.containsKey(key)) {
                    continue;
                }
                String savedName = savedName(key, chosen);
                if (!key.startsWith("pooler.") && !key.startsWith("classifier.")) {
                    throw new IOException((weightFiles.size() == 1 ? firstFile.toString() : dir + "/" + WEIGHTS_INDEX)
                            + ": tensor '" + savedName + "' is missing (" + CONFIG + " declares "
                            + config.numHiddenLayers() + " layers, hidden size " + config.hiddenSize() + ")");
                }
                initialiseHeadTensor(en.getValue(), config, manager);
                initialised.add(savedName);
            }
            Path tokenizer = dir.resolve(TOKENIZER);
            return new LoadedBert(model, config, Files.isRegularFile(tokenizer) ? tokenizer : null, initialised,
                    unused);
        } catch (IOException | RuntimeException e) {
            model.getParameters().values().forEach(Parameter::close);
            throw e;
        }
    }

    /**
     * Refuses a config that declares more encoder parameters than the weight files could hold (at 2 bytes each, the
     * smallest floating-point dtype), before anything is allocated: a corrupt or hostile config.json must not make
     * the loader allocate gigabytes.
     */
    private static void checkSizeBeforeAllocating(BertConfig c, Path configFile, List<Path> weightFiles)
            throws IOException {
        long bytes = 0;
        for (Path f : weightFiles) {
            bytes += Files.size(f);
        }
        java.math.BigInteger h = java.math.BigInteger.valueOf(c.hiddenSize());
        java.math.BigInteger i = java.math.BigInteger.valueOf(c.intermediateSize());
        java.math.BigInteger embeddings = h.multiply(java.math.BigInteger.valueOf(
                (long) c.vocabSize() + c.maxPositionEmbeddings() + c.typeVocabSize() + 2));
        java.math.BigInteger layer = h.multiply(h).multiply(java.math.BigInteger.valueOf(4))
                .add(h.multiply(i).multiply(java.math.BigInteger.TWO))
                .add(h.multiply(java.math.BigInteger.valueOf(9))).add(i);
        java.math.BigInteger elements = embeddings.add(layer.multiply(java.math.BigInteger.valueOf(
                c.numHiddenLayers())));
        if (elements.multiply(java.math.BigInteger.TWO).compareTo(java.math.BigInteger.valueOf(bytes)) > 0) {
            throw new IOException(configFile + ": declares an encoder of " + elements + " parameters (hidden_size "
                    + c.hiddenSize() + ", " + c.numHiddenLayers() + " layers, vocab_size " + c.vocabSize()
                    + "), more than the " + bytes + " bytes of weights could hold; the config does not belong to "
                    + "these weights");
        }
    }

    private static void initialiseHeadTensor(Parameter p, BertConfig config, NDManager manager) {
        if (p.getType() != Parameter.Type.WEIGHT) {
            return; // biases stay zero
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray init = tmp.randomNormal(0f, (float) config.initializerRange(), p.getShape(), DataType.FLOAT32);
            p.getArray().set(init.toByteBuffer());
        }
    }

    /**
     * Maps a checkpoint tensor name to the model's HF name: drops a leading {@code bert.} and renames
     * {@code LayerNorm.gamma}/{@code LayerNorm.beta} to {@code .weight}/{@code .bias}.
     *
     * @param name the name in the file
     * @return the name in {@link BertModel#namedParameters()}
     */
    public static String canonicalName(String name) {
        String k = name.startsWith("bert.") ? name.substring(5) : name;
        if (k.contains("LayerNorm.")) {
            if (k.endsWith(".gamma")) {
                k = k.substring(0, k.length() - 6) + ".weight";
            } else if (k.endsWith(".beta")) {
                k = k.substring(0, k.length() - 5) + ".bias";
            }
        }
        return k;
    }

    /**
     * Returns the name a parameter gets in a saved checkpoint for a head: unchanged for {@link BertHead#NONE},
     * otherwise {@code bert.}-prefixed except for {@code classifier.*}.
     *
     * @param hfName the name in {@link BertModel#namedParameters()}
     * @param head the head
     * @return the saved name
     */
    public static String savedName(String hfName, BertHead head) {
        if (head == BertHead.NONE || hfName.startsWith("classifier.")) {
            return hfName;
        }
        return "bert." + hfName;
    }

    private static List<Path> weightFiles(Path dir) throws IOException {
        Path single = dir.resolve(WEIGHTS);
        if (Files.isRegularFile(single)) {
            return List.of(single);
        }
        Path index = dir.resolve(WEIGHTS_INDEX);
        if (Files.isRegularFile(index)) {
            JsonElement root;
            try (Reader r = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
                root = JsonParser.parseReader(r);
            } catch (JsonParseException e) {
                throw new IOException(index + ": not valid JSON", e);
            }
            if (!root.isJsonObject() || !root.getAsJsonObject().has("weight_map")
                    || !root.getAsJsonObject().get("weight_map").isJsonObject()) {
                throw new IOException(index + ": missing the 'weight_map' object");
            }
            Set<String> shards = new LinkedHashSet<>();
            for (Map.Entry<String, JsonElement> en : root.getAsJsonObject().getAsJsonObject("weight_map").entrySet()) {
                shards.add(en.getValue().getAsString());
            }
            List<Path> files = new ArrayList<>();
            for (String s : shards) {
                Path f = dir.resolve(s).normalize();
                if (!f.startsWith(dir.normalize()) || !Files.isRegularFile(f)) {
                    throw new IOException(index + ": shard '" + s + "' is missing or outside the folder");
                }
                files.add(f);
            }
            if (files.isEmpty()) {
                throw new IOException(index + ": the weight_map is empty");
            }
            return files;
        }
        Path bin = dir.resolve(PYTORCH_WEIGHTS);
        if (Files.isRegularFile(bin)) {
            throw new IOException(bin + ": PyTorch pickle checkpoints are not supported; convert the folder to "
                    + "safetensors once with python3 -c \"import torch; from safetensors.torch import save_file; "
                    + "sd = torch.load('" + bin + "', map_location='cpu'); save_file({k: v.clone().contiguous() "
                    + "for k, v in sd.items()}, '" + single + "', metadata={'format': 'pt'})\"");
        }
        throw new IOException(dir + ": no " + WEIGHTS + " (or " + WEIGHTS_INDEX + ") in the model folder");
    }

    /**
     * Saves a model as a HuggingFace folder ({@code config.json} + {@code model.safetensors}), see
     * {@link #save(BertModel, Path, Path)}.
     *
     * @param model the model
     * @param dir the folder (created if needed; existing files of the same names are replaced)
     * @throws IOException when writing fails
     */
    public static void save(BertModel model, Path dir) throws IOException {
        save(model, dir, null);
    }

    /**
     * Saves a model as a HuggingFace folder: {@code config.json} (with {@code architectures} set from the head,
     * {@code model_type}, {@code id2label}/{@code label2id} and any unmodelled fields of the original config),
     * {@code model.safetensors} (float32, HF names, {@code __metadata__ {"format": "pt"}}) and a copy of
     * {@code tokenizerJson} as {@code tokenizer.json}. Each file is written atomically.
     *
     * @param model the model (initialised)
     * @param dir the folder (created if needed; existing files of the same names are replaced)
     * @param tokenizerJson a tokenizer file to copy, or null
     * @throws IOException when writing fails
     */
    public static void save(BertModel model, Path dir, Path tokenizerJson) throws IOException {
        if (!model.isInitialized()) {
            throw new IllegalStateException("cannot save an uninitialised BertModel");
        }
        Files.createDirectories(dir);
        BertHead head = model.head();
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        Map<String, Parameter> params = new LinkedHashMap<>(model.namedParameters());
        for (Map.Entry<String, Parameter> en : params.entrySet()) {
            writer.add(savedName(en.getKey(), head), en.getValue().getArray());
        }
        writer.write(dir.resolve(WEIGHTS));
        JsonObject extra = model.config().extraFields();
        BertConfig.Builder b = model.config().toBuilder().architectures(List.of(head.architecture()));
        if (extra.has("torch_dtype")) {
            extra.addProperty("torch_dtype", "float32");
            b.extraFields(extra);
        }
        b.build().write(dir.resolve(CONFIG));
        if (tokenizerJson != null) {
            Path target = dir.resolve(TOKENIZER);
            if (!Files.exists(target) || !Files.isSameFile(tokenizerJson, target)) {
                Path tmp = dir.resolve("." + TOKENIZER + "." + System.nanoTime() + ".tmp");
                try {
                    Files.copy(tokenizerJson, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
    }
}
