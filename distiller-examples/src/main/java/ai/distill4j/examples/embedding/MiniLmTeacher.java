package ai.distill4j.examples.embedding;

import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.onnx.BertOnnxImporter;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.distill4j.model.onnx.ImportedBert;
import ai.distill4j.model.onnx.OnnxModel;
import ai.distill4j.model.onnx.OnnxModelReader;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The examples' base model: all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads), imported once from the ONNX graph
 * bundled on the classpath into a HuggingFace folder and reused from there.
 *
 * @since 0.1.0
 */
public final class MiniLmTeacher {

    private MiniLmTeacher() {}

    /**
     * Returns a folder holding all-MiniLM-L6-v2, importing the bundled graph into it when it has no weights yet.
     * The import writes into a temporary sibling folder and renames it, so an interrupted import leaves nothing
     * half-written behind.
     *
     * @param dir the cache folder, e.g. {@code runs/examples/teacher-minilm}
     * @param log where progress goes
     * @return {@code dir}
     * @throws IOException when the bundled model is missing or the folder cannot be written
     */
    public static Path ensure(Path dir, PrintWriter log) throws IOException {
        if (Files.isRegularFile(dir.resolve(BertModels.WEIGHTS)) && Files.isRegularFile(dir.resolve(BertModels.TOKENIZER))) {
            return dir;
        }
        if (!BundledMiniLm.isAvailable()) {
            throw new IOException("the bundled all-MiniLM-L6-v2 (" + BundledMiniLm.ARTIFACT + ") is not on the "
                    + "classpath; pass a teacher folder instead");
        }
        log.println("importing the bundled all-MiniLM-L6-v2 into " + dir);
        log.flush();
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp");
        Path tok = tmp.resolve("source-tokenizer.json");
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tok, StandardCopyOption.REPLACE_EXISTING);
        }
        OnnxModel onnx;
        try (InputStream in = BundledMiniLm.openOnnx()) {
            onnx = OnnxModelReader.read(in, BundledMiniLm.ONNX_RESOURCE);
        }
        Path out = tmp.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ImportedBert imported = BertOnnxImporter.builder()
                    .optNumAttentionHeads(BundledMiniLm.NUM_ATTENTION_HEADS).build().load(onnx, manager);
            BertModels.save(imported.model(), out, tok);
        }
        if (Files.exists(dir)) {
            DurableFiles.deleteRecursively(dir);
        }
        Files.move(out, dir, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.deleteRecursively(tmp);
        return dir;
    }

}
