package ai.distill4j.model.sentence;

import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.distill4j.model.pooling.Pooling;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Saves and loads the folder layout of a Sentence-Transformers model, as {@code SentenceTransformer.save} writes it
 * and {@code SentenceTransformer(path)} reads it:
 *
 * <pre>
 * modules.json                       [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
 *                                     {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
 *                                     {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
 * config_sentence_transformers.json  {"model_type": "SentenceTransformer", "prompts": {}, "default_prompt_name": null,
 *                                     "similarity_fn_name": "cosine"}
 * sentence_bert_config.json          {"max_seq_length": 256, "do_lower_case": false}
 * config.json, model.safetensors     the BERT encoder in the HuggingFace layout (BertModels.save)
 * tokenizer.json                     (+ tokenizer_config.json, special_tokens_map.json, vocab.txt when they sit next
 *                                     to the source tokenizer.json)
 * 1_Pooling/config.json              PoolingConfig
 * 2_Normalize/                       empty; only when the pooling normalises
 * </pre>
 *
 * <p>Loading accepts the pipelines this project can run: a Transformer module (in the root or a sub-folder), one
 * Pooling module, and optionally a Normalize module, in that order. Other modules (Dense, ...) are refused with a
 * message naming {@code modules.json}, the entry and its type.
 *
 * @since 0.1.0
 */
public final class SentenceTransformers {

    /** The pipeline file. */
    public static final String MODULES = "modules.json";
    /** The model-level Sentence-Transformers config. */
    public static final String ST_CONFIG = "config_sentence_transformers.json";
    /** The Pooling module's folder as written (module 1). */
    public static final String POOLING_DIR = "1_Pooling";
    /** The Normalize module's folder as written (module 2). */
    public static final String NORMALIZE_DIR = "2_Normalize";
    /** The config file name of a module in its folder. */
    public static final String MODULE_CONFIG = "config.json";

    private static final List<String> TOKENIZER_COMPANIONS =
            List.of("tokenizer_config.json", "special_tokens_map.json", "vocab.txt");

    private SentenceTransformers() {}

    /**
     * Tells whether a folder is a Sentence-Transformers model (it has {@code modules.json}).
     *
     * @param dir the folder
     * @return true when {@code modules.json} exists
     */
    public static boolean isSentenceTransformersFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(MODULES));
    }

    /**
     * Writes a sentence-embedding model as a Sentence-Transformers folder (see the class description). The encoder
     * is written by {@link BertModels#save(BertModel, Path, Path)}, so its tensors carry HuggingFace's names; a
     * classification head, if the model has one, is saved too and ignored by Sentence-Transformers.
     *
     * @param model the encoder (initialised)
     * @param pooling the pooling; a normalising pooling adds the Normalize module
     * @param sentenceBertConfig the maximum length and lower-casing
     * @param tokenizerJson the tokenizer to copy (its companion files are copied when present), or null to write no
     *     tokenizer (Sentence-Transformers then cannot load the folder)
     * @param dir the folder, created if needed; files of the same names are replaced
     * @throws IOException when writing fails
     * @throws IllegalArgumentException when {@code max_seq_length} exceeds the model's position embeddings
     */
    public static void save(BertModel model, Pooling pooling, SentenceBertConfig sentenceBertConfig, Path tokenizerJson,
            Path dir) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(sentenceBertConfig, "sentenceBertConfig");
        Objects.requireNonNull(dir, "dir");
        int positions = model.config().maxPositionEmbeddings();
        if (sentenceBertConfig.maxSeqLength() > positions) {
            throw new IllegalArgumentException(SentenceBertConfig.MAX_SEQ_LENGTH + " = "
                    + sentenceBertConfig.maxSeqLength() + ": must be <= max_position_embeddings = " + positions);
        }
        if (tokenizerJson != null && !Files.isRegularFile(tokenizerJson)) {
            throw new IOException(tokenizerJson + ": tokenizer file not found");
        }
        Files.createDirectories(dir);
        BertModels.save(model, dir, tokenizerJson);
        if (tokenizerJson != null) {
            copyTokenizerCompanions(tokenizerJson, dir);
        }
        sentenceBertConfig.write(dir.resolve(SentenceBertConfig.FILE));

        Path poolingDir = dir.resolve(POOLING_DIR);
        Files.createDirectories(poolingDir);
        new PoolingConfig(model.config().hiddenSize(), pooling.mode()).write(poolingDir.resolve(MODULE_CONFIG));

        List<ModuleEntry> modules = new ArrayList<>();
        modules.add(new ModuleEntry(0, "0", "", ModuleEntry.TRANSFORMER));
        modules.add(new ModuleEntry(1, "1", POOLING_DIR, ModuleEntry.POOLING));
        if (pooling.normalize()) {
            Files.createDirectories(dir.resolve(NORMALIZE_DIR));
            modules.add(new ModuleEntry(2, "2", NORMALIZE_DIR, ModuleEntry.NORMALIZE));
        }
        JsonFile.write(dir.resolve(ST_CONFIG), stConfig(), 2);
        JsonArray arr = new JsonArray();
        modules.forEach(m -> arr.add(m.toJsonObject()));
        // modules.json last: a folder with it is complete
        JsonFile.write(dir.resolve(MODULES), arr, 2);
    }

    private static JsonObject stConfig() {
        JsonObject o = new JsonObject();
        o.addProperty("model_type", "SentenceTransformer");
        o.add("prompts", new JsonObject());
        o.add("default_prompt_name", JsonNull.INSTANCE);
        o.addProperty("similarity_fn_name", "cosine");
        return o;
    }

    private static void copyTokenizerCompanions(Path tokenizerJson, Path dir) throws IOException {
        Path source = tokenizerJson.toAbsolutePath().getParent();
        for (String name : TOKENIZER_COMPANIONS) {
            Path from = source.resolve(name);
            Path to = dir.resolve(name);
            if (!Files.isRegularFile(from) || (Files.exists(to) && Files.isSameFile(from, to))) {
                continue;
            }
            Path tmp = dir.resolve("." + name + "." + System.nanoTime() + ".tmp");
            try {
                Files.copy(from, tmp);
                Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Reads the pipeline of a Sentence-Transformers folder.
     *
     * @param dir the folder
     * @return the entries of {@code modules.json}, in order
     * @throws IOException when the file is missing or malformed (the message names the entry and key)
     */
    public static List<ModuleEntry> readModules(Path dir) throws IOException {
        Path file = dir.resolve(MODULES);
        JsonElement root = JsonFile.read(file);
        if (!root.isJsonArray()) {
            throw new IOException(file + ": expected a JSON array of modules, got " + root);
        }
        List<ModuleEntry> out = new ArrayList<>();
        int i = 0;
        for (JsonElement e : root.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                throw new IOException(file + ": entry " + i + " is not an object: " + e);
            }
            JsonObject o = e.getAsJsonObject();
            Integer idx = JsonFile.integer(file, o, "idx");
            String name = JsonFile.string(file, o, "name");
            String path = JsonFile.string(file, o, "path");
            String type = JsonFile.string(file, o, "type");
            if (idx == null || name == null || path == null || type == null) {
                throw new IOException(file + ": entry " + i + " needs \"idx\", \"name\", \"path\" and \"type\", got "
                        + o);
            }
            if (idx < 0) {
                throw new IOException(file + ": entry " + i + ": 'idx' = " + idx + ": must be >= 0");
            }
            out.add(new ModuleEntry(idx, name, path, type));
            i++;
        }
        return out;
    }

    /**
     * Loads a Sentence-Transformers folder: the encoder (as a headless {@link BertModel}; a checkpoint's pooler or
     * classifier tensors are left unused), the pooling, normalisation, {@code sentence_bert_config.json} and the
     * tokenizer file.
     *
     * @param dir the folder
     * @param manager the long-lived manager that will own the parameters
     * @return the model
     * @throws IOException when a file is missing or malformed, or the pipeline holds a module this project cannot run
     */
    public static SentenceModel load(Path dir, ai.djl.ndarray.NDManager manager) throws IOException {
        if (!isSentenceTransformersFolder(dir)) {
            throw new IOException(dir + ": no " + MODULES + "; not a Sentence-Transformers folder (load a plain "
                    + "HuggingFace folder with BertModels.load and choose a pooling)");
        }
        Path modulesFile = dir.resolve(MODULES);
        List<ModuleEntry> modules = readModules(dir);
        if (modules.size() < 2 || modules.size() > 3) {
            throw new IOException(modulesFile + ": " + modules.size() + " modules; expected Transformer, Pooling and "
                    + "optionally Normalize");
        }
        Path transformerDir = moduleDir(dir, modulesFile, modules.get(0), ModuleEntry.TRANSFORMER, 0);
        Path poolingDir = moduleDir(dir, modulesFile, modules.get(1), ModuleEntry.POOLING, 1);
        boolean normalize = false;
        if (modules.size() == 3) {
            moduleDir(dir, modulesFile, modules.get(2), ModuleEntry.NORMALIZE, 2);
            normalize = true;
        }
        PoolingConfig poolingConfig = PoolingConfig.read(poolingDir.resolve(MODULE_CONFIG));
        LoadedBert loaded = BertModels.load(transformerDir, manager, BertHead.NONE);
        BertModel model = loaded.model();
        try {
            int hidden = model.config().hiddenSize();
            if (poolingConfig.wordEmbeddingDimension() != hidden) {
                throw new IOException(poolingDir.resolve(MODULE_CONFIG) + ": '"
                        + PoolingConfig.WORD_EMBEDDING_DIMENSION + "' = " + poolingConfig.wordEmbeddingDimension()
                        + " disagrees with the encoder's hidden_size = " + hidden);
            }
            int positions = model.config().maxPositionEmbeddings();
            Path sbertFile = transformerDir.resolve(SentenceBertConfig.FILE);
            SentenceBertConfig sbert = Files.isRegularFile(sbertFile)
                    ? SentenceBertConfig.read(sbertFile, positions)
                    : SentenceBertConfig.of(positions);
            if (sbert.maxSeqLength() > positions) {
                throw new IOException(sbertFile + ": '" + SentenceBertConfig.MAX_SEQ_LENGTH + "' = "
                        + sbert.maxSeqLength() + " exceeds max_position_embeddings = " + positions);
            }
            return new SentenceModel(model, new Pooling(poolingConfig.mode(), normalize), sbert,
                    loaded.tokenizerJson(), modules);
        } catch (IOException | RuntimeException e) {
            model.getParameters().values().forEach(ai.djl.nn.Parameter::close);
            throw e;
        }
    }

    private static Path moduleDir(Path dir, Path modulesFile, ModuleEntry entry, String expectedType, int position)
            throws IOException {
        if (!entry.type().equals(expectedType)) {
            throw new IOException(modulesFile + ": module " + position + " ('" + entry.name() + "') has type '"
                    + entry.type() + "'; this project runs Transformer -> Pooling [-> Normalize] and expects '"
                    + expectedType + "' here");
        }
        Path root = dir.toAbsolutePath().normalize();
        Path d = root.resolve(entry.path()).normalize();
        if (!d.startsWith(root)) {
            throw new IOException(modulesFile + ": module " + position + " path '" + entry.path()
                    + "' points outside the model folder");
        }
        if (!expectedType.equals(ModuleEntry.NORMALIZE) && !Files.isDirectory(d)) {
            throw new IOException(modulesFile + ": module " + position + " folder '" + entry.path() + "' is missing");
        }
        return d;
    }
}
