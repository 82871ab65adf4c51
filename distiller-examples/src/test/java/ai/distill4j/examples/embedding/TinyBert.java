package ai.distill4j.examples.embedding;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A tiny random BERT (4 layers, width 32, 4 heads) with all-MiniLM-L6-v2's tokenizer, for fast end-to-end tests. */
public final class TinyBert {

    private TinyBert() {}

    /**
     * The tiny config: MiniLM's vocabulary, 4 layers of width 32 with 4 heads of 8.
     *
     * @return the config
     */
    public static BertConfig config() {
        return BertConfig.builder().vocabSize(30522).hiddenSize(32).numHiddenLayers(4).numAttentionHeads(4)
                .intermediateSize(64).maxPositionEmbeddings(128).build();
    }

    /**
     * Writes a random tiny BERT folder (config, weights, tokenizer).
     *
     * @param dir the folder
     * @param seed the weights' seed
     * @return {@code dir}
     * @throws IOException when writing fails
     */
    public static Path write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        Path tok = dir.resolve("source-tokenizer.json");
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tok, StandardCopyOption.REPLACE_EXISTING);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = Students.random(config(), BertHead.NONE, seed, m);
            BertModels.save(model, dir, tok);
        }
        Files.delete(tok);
        return dir;
    }
}
