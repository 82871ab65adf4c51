package ai.distill4j.model.sentence;

import ai.distill4j.model.pooling.PoolingMode;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The content of a Sentence-Transformers {@code Pooling} module's {@code config.json} (usually
 * {@code 1_Pooling/config.json}): the token-vector width and the one pooling mode.
 *
 * <p>Written with every key of {@code models.Pooling.config_keys}, in that order:
 * {@code word_embedding_dimension} (integer), {@code pooling_mode_cls_token}, {@code pooling_mode_mean_tokens},
 * {@code pooling_mode_max_tokens}, {@code pooling_mode_mean_sqrt_len_tokens},
 * {@code pooling_mode_weightedmean_tokens}, {@code pooling_mode_lasttoken}, {@code include_prompt} (booleans).
 * Read as {@code Pooling(**config)} reads it: absent flags take the constructor's defaults (mean {@code true}, the
 * others {@code false}) and a {@code pooling_mode} string, when present, replaces all flags. Exactly one of the
 * supported modes (cls, mean, max, mean_sqrt_len_tokens) must be on; concatenated poolings, weighted-mean and
 * last-token pooling are refused with a message naming the file.
 *
 * @param wordEmbeddingDimension the width of the token vectors ({@code hidden_size})
 * @param mode the pooling mode
 * @since 0.1.0
 */
record PoolingConfig(int wordEmbeddingDimension, PoolingMode mode) {

    /** The key of the token-vector width. */
    public static final String WORD_EMBEDDING_DIMENSION = "word_embedding_dimension";
    /** The flag of {@link PoolingMode#CLS}. */
    public static final String CLS_TOKEN = "pooling_mode_cls_token";
    /** The flag of {@link PoolingMode#MEAN}. */
    public static final String MEAN_TOKENS = "pooling_mode_mean_tokens";
    /** The flag of {@link PoolingMode#MAX}. */
    public static final String MAX_TOKENS = "pooling_mode_max_tokens";
    /** The flag of {@link PoolingMode#MEAN_SQRT_LEN}. */
    public static final String MEAN_SQRT_LEN_TOKENS = "pooling_mode_mean_sqrt_len_tokens";
    /** The flag of position-weighted mean pooling (not supported; written as false). */
    public static final String WEIGHTED_MEAN_TOKENS = "pooling_mode_weightedmean_tokens";
    /** The flag of last-token pooling (not supported; written as false). */
    public static final String LAST_TOKEN = "pooling_mode_lasttoken";
    /** Whether prompt tokens take part in pooling (written as true; this project adds no prompts). */
    public static final String INCLUDE_PROMPT = "include_prompt";
    /** The optional string that overrides every flag ({@code Pooling(pooling_mode=...)}). */
    public static final String POOLING_MODE = "pooling_mode";

    private static final Map<PoolingMode, String> FLAG = Map.of(
            PoolingMode.CLS, CLS_TOKEN,
            PoolingMode.MEAN, MEAN_TOKENS,
            PoolingMode.MAX, MAX_TOKENS,
            PoolingMode.MEAN_SQRT_LEN, MEAN_SQRT_LEN_TOKENS);

    private static final Set<String> KEYS = Set.of(WORD_EMBEDDING_DIMENSION, CLS_TOKEN, MEAN_TOKENS, MAX_TOKENS,
            MEAN_SQRT_LEN_TOKENS, WEIGHTED_MEAN_TOKENS, LAST_TOKEN, INCLUDE_PROMPT, POOLING_MODE);

    /**
     * Validates.
     *
     * @param wordEmbeddingDimension {@code >= 1}
     * @param mode not null
     */
    public PoolingConfig {
        if (wordEmbeddingDimension < 1) {
            throw new IllegalArgumentException(
                    WORD_EMBEDDING_DIMENSION + " = " + wordEmbeddingDimension + ": must be >= 1");
        }
        Objects.requireNonNull(mode, "mode");
    }

    /**
     * Returns the JSON object Sentence-Transformers writes for this pooling.
     *
     * @return a new object with all eight keys
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty(WORD_EMBEDDING_DIMENSION, wordEmbeddingDimension);
        o.addProperty(CLS_TOKEN, mode == PoolingMode.CLS);
        o.addProperty(MEAN_TOKENS, mode == PoolingMode.MEAN);
        o.addProperty(MAX_TOKENS, mode == PoolingMode.MAX);
        o.addProperty(MEAN_SQRT_LEN_TOKENS, mode == PoolingMode.MEAN_SQRT_LEN);
        o.addProperty(WEIGHTED_MEAN_TOKENS, false);
        o.addProperty(LAST_TOKEN, false);
        o.addProperty(INCLUDE_PROMPT, true);
        return o;
    }

    /**
     * Writes the file ({@code json.dump(..., indent=4)}).
     *
     * @param file the target, usually {@code 1_Pooling/config.json}
     * @throws IOException when writing fails
     */
    public void write(Path file) throws IOException {
        JsonFile.write(file, toJsonObject(), 4);
    }

    /**
     * Reads a Pooling module's config.
     *
     * @param file the file
     * @return the config
     * @throws IOException when the file is missing, malformed, or asks for an unsupported pooling (the message names
     *     the file and the key)
     */
    public static PoolingConfig read(Path file) throws IOException {
        JsonObject o = JsonFile.readObject(file);
        for (String key : o.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IOException(file + ": unknown key '" + key + "' (a Sentence-Transformers Pooling config has "
                        + new java.util.TreeSet<>(KEYS) + ")");
            }
        }
        Integer dim = JsonFile.integer(file, o, WORD_EMBEDDING_DIMENSION);
        if (dim == null || dim < 1) {
            throw new IOException(file + ": '" + WORD_EMBEDDING_DIMENSION + "' = " + o.get(WORD_EMBEDDING_DIMENSION)
                    + ": must be a positive integer");
        }
        List<String> on = new ArrayList<>();
        String byName = JsonFile.string(file, o, POOLING_MODE);
        if (byName != null) {
            on.add(byName.toLowerCase(java.util.Locale.ROOT));
        } else {
            if (JsonFile.bool(file, o, CLS_TOKEN, false)) {
                on.add("cls");
            }
            if (JsonFile.bool(file, o, MEAN_TOKENS, true)) {
                on.add("mean");
            }
            if (JsonFile.bool(file, o, MAX_TOKENS, false)) {
                on.add("max");
            }
            if (JsonFile.bool(file, o, MEAN_SQRT_LEN_TOKENS, false)) {
                on.add("mean_sqrt_len_tokens");
            }
            if (JsonFile.bool(file, o, WEIGHTED_MEAN_TOKENS, false)) {
                on.add("weightedmean");
            }
            if (JsonFile.bool(file, o, LAST_TOKEN, false)) {
                on.add("lasttoken");
            }
            JsonFile.bool(file, o, INCLUDE_PROMPT, true);
        }
        if (on.isEmpty()) {
            throw new IOException(file + ": no pooling mode is on (set exactly one of " + CLS_TOKEN + ", "
                    + MEAN_TOKENS + ", " + MAX_TOKENS + ", " + MEAN_SQRT_LEN_TOKENS + " to true)");
        }
        if (on.size() > 1) {
            throw new IOException(file + ": pooling modes " + String.join("+", on)
                    + " are on together; concatenated poolings are not supported (keep exactly one)");
        }
        PoolingMode mode;
        try {
            mode = PoolingMode.parse(on.get(0));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": pooling mode '" + on.get(0)
                    + "' is not supported (supported: cls, mean, max, mean_sqrt_len_tokens)", e);
        }
        return new PoolingConfig(dim, mode);
    }

    /**
     * Returns the flag key that turns a mode on.
     *
     * @param mode the mode
     * @return e.g. {@code pooling_mode_mean_tokens}
     */
    public static String flagOf(PoolingMode mode) {
        return FLAG.get(mode);
    }
}
