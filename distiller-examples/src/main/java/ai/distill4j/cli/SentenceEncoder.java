package ai.distill4j.cli;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Encodes one text at a time with a checkpoint folder's model and tokenizer: special tokens added, truncation at
 * the maximum length, no padding. Owns the model's manager and the native tokenizer.
 */
final class SentenceEncoder implements AutoCloseable {

    /** One encoded text: its token ids and the last hidden state, one row per token. */
    record Encoded(long[] ids, float[][] hidden) {}

    private final NDManager manager;
    private final BertModel model;
    private final HuggingFaceTokenizer tokenizer;
    private final ParameterStore parameters;

    private SentenceEncoder(NDManager manager, BertModel model, HuggingFaceTokenizer tokenizer) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * Loads a checkpoint folder.
     *
     * @param modelDir a folder with config.json, model.safetensors and tokenizer.json
     * @param maxLength the truncation length, special tokens included
     */
    static SentenceEncoder open(Path modelDir, int maxLength) throws IOException {
        if (!Files.isDirectory(modelDir)) {
            throw new NoSuchFileException(modelDir.toString(), null, "model folder not found");
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            LoadedBert loaded = BertModels.load(modelDir, manager);
            Path tok = loaded.tokenizerJson();
            if (tok == null) {
                throw new IllegalArgumentException("model folder " + modelDir + " has no tokenizer.json");
            }
            int positions = loaded.config().maxPositionEmbeddings();
            if (maxLength < 2 || maxLength > positions) {
                throw new IllegalArgumentException("--max-length " + maxLength + " must be in [2, " + positions
                        + "] (max_position_embeddings of " + modelDir + ")");
            }
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tok)
                    .optAddSpecialTokens(true)
                    .optTruncation(true)
                    .optMaxLength(maxLength)
                    .optPadding(false)
                    .build();
            return new SentenceEncoder(manager, loaded.model(), tokenizer);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    BertConfig config() {
        return model.config();
    }

    /** Tokenizes a text without padding. */
    Encoding tokenize(String text) {
        return tokenizer.encode(text);
    }

    Encoded encode(String text) {
        Encoding enc = tokenizer.encode(text);
        long[] ids = enc.getIds();
        long[] mask = enc.getAttentionMask();
        long[] types = enc.getTypeIds();
        int s = ids.length;
        int h = model.config().hiddenSize();
        try (NDManager step = manager.newSubManager()) {
            Shape shape = new Shape(1, s);
            BertInputs in = new BertInputs(step.create(ids, shape), step.create(mask, shape), step.create(types, shape));
            BertOutput out = model.forward(parameters, in, false, false);
            NDArray last = out.lastHiddenState();
            float[] flat = last.toFloatArray();
            float[][] hidden = new float[s][h];
            for (int t = 0; t < s; t++) {
                System.arraycopy(flat, t * h, hidden[t], 0, h);
            }
            return new Encoded(ids, hidden);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }
}
