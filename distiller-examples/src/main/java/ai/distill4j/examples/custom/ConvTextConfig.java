package ai.distill4j.examples.custom;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hyper-parameters of a {@link ConvTextClassifier}.
 *
 * @param vocabSize the token vocabulary (the teacher tokenizer's)
 * @param embeddingSize the width of the token vectors
 * @param filters the convolution's output channels (the width of the pooled text vector)
 * @param kernel the convolution's width in tokens, odd
 * @param numClasses the classes
 * @param dropout the dropout rate on the pooled vector, in [0, 1)
 * @since 0.1.0
 */
public record ConvTextConfig(int vocabSize, int embeddingSize, int filters, int kernel, int numClasses,
        double dropout) {

    /** The file a saved model's config is written to. */
    public static final String FILE = "conv_config.json";

    /**
     * Validates.
     *
     * @param vocabSize &gt; 0
     * @param embeddingSize &gt; 0
     * @param filters &gt; 0
     * @param kernel odd and &gt; 0
     * @param numClasses &gt;= 2
     * @param dropout in [0, 1)
     */
    public ConvTextConfig {
        check(vocabSize > 0, "vocab_size", vocabSize, "must be > 0");
        check(embeddingSize > 0, "embedding_size", embeddingSize, "must be > 0");
        check(filters > 0, "filters", filters, "must be > 0");
        check(kernel > 0 && kernel % 2 == 1, "kernel", kernel, "must be odd and > 0 (the output keeps the length)");
        check(numClasses >= 2, "num_classes", numClasses, "must be >= 2");
        check(dropout >= 0 && dropout < 1, "dropout", dropout, "must be in [0, 1)");
    }

    private static void check(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " = " + value + ": " + rule);
        }
    }

    /**
     * Writes the config as JSON.
     *
     * @param file the file
     * @throws IOException when writing fails
     */
    public void write(Path file) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("embedding_size", embeddingSize);
        o.addProperty("filters", filters);
        o.addProperty("kernel", kernel);
        o.addProperty("num_classes", numClasses);
        o.addProperty("dropout", dropout);
        Files.writeString(file, o + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Reads a config written by {@link #write}.
     *
     * @param file the file
     * @return the config
     * @throws IOException when reading fails or a field is missing
     */
    public static ConvTextConfig read(Path file) throws IOException {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            return new ConvTextConfig(o.get("vocab_size").getAsInt(), o.get("embedding_size").getAsInt(),
                    o.get("filters").getAsInt(), o.get("kernel").getAsInt(), o.get("num_classes").getAsInt(),
                    o.get("dropout").getAsDouble());
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a valid conv_config.json (" + e.getMessage() + ")", e);
        }
    }
}
