package ai.distill4j.model.sentence;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The content of {@code sentence_bert_config.json}, the Transformer module's config (Sentence-Transformers'
 * {@code models.Transformer.config_keys}): inputs are truncated to {@code max_seq_length} tokens, and lower-cased
 * before tokenization when {@code do_lower_case} is true.
 *
 * @param maxSeqLength the maximum number of tokens per text, special tokens included
 * @param doLowerCase whether texts are lower-cased before tokenization
 * @since 0.1.0
 */
public record SentenceBertConfig(int maxSeqLength, boolean doLowerCase) {

    /** The file name. */
    public static final String FILE = "sentence_bert_config.json";
    /** The key of the maximum length. */
    public static final String MAX_SEQ_LENGTH = "max_seq_length";
    /** The key of the lower-casing flag. */
    public static final String DO_LOWER_CASE = "do_lower_case";

    /**
     * Validates.
     *
     * @param maxSeqLength {@code >= 1}
     * @param doLowerCase the flag
     */
    public SentenceBertConfig {
        if (maxSeqLength < 1) {
            throw new IllegalArgumentException(MAX_SEQ_LENGTH + " = " + maxSeqLength + ": must be >= 1");
        }
    }

    /**
     * Returns a config that truncates to {@code maxSeqLength} and does not lower-case.
     *
     * @param maxSeqLength the maximum number of tokens
     * @return the config
     */
    public static SentenceBertConfig of(int maxSeqLength) {
        return new SentenceBertConfig(maxSeqLength, false);
    }

    /**
     * Returns the JSON object: {@code {"max_seq_length": n, "do_lower_case": b}}.
     *
     * @return a new object
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty(MAX_SEQ_LENGTH, maxSeqLength);
        o.addProperty(DO_LOWER_CASE, doLowerCase);
        return o;
    }

    /**
     * Writes the file ({@code json.dump(..., indent=4)}).
     *
     * @param file the target
     * @throws IOException when writing fails
     */
    public void write(Path file) throws IOException {
        JsonFile.write(file, toJsonObject(), 4);
    }

    /**
     * Reads the file. Sentence-Transformers infers a missing or null {@code max_seq_length} from the model and
     * tokenizer; here the caller passes that fallback.
     *
     * @param file the file
     * @param fallbackMaxSeqLength the length used when the file has none
     * @return the config
     * @throws IOException when the file is missing or a value has the wrong type (the message names the key)
     */
    public static SentenceBertConfig read(Path file, int fallbackMaxSeqLength) throws IOException {
        JsonObject o = JsonFile.readObject(file);
        Integer max = JsonFile.integer(file, o, MAX_SEQ_LENGTH);
        if (max != null && max < 1) {
            throw new IOException(file + ": '" + MAX_SEQ_LENGTH + "' = " + max + ": must be >= 1");
        }
        return new SentenceBertConfig(max == null ? fallbackMaxSeqLength : max,
                JsonFile.bool(file, o, DO_LOWER_CASE, false));
    }
}
