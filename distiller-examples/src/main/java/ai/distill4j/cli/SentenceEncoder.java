package ai.distill4j.cli;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.distill4j.model.text.BertTokenizer;
import ai.distill4j.model.text.TokenizedBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Encodes one text at a time with a checkpoint folder's model and tokenizer: special tokens added, truncation at
 * the maximum length, no padding. Owns the model's manager and the native tokenizer.
 */
final class SentenceEncoder implements AutoCloseable {

    /** One encoded text: its token ids and the last hidden state, one row per token. */
    record Encoded(long[] ids, float[][] hidden) {}

    private final NDManager manager;
    private final BertModel model;
    private final BertTokenizer tokenizer;
    private final ParameterStore parameters;

    private SentenceEncoder(NDManager manager, BertModel model, BertTokenizer tokenizer) {
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
            // one text per batch with LONGEST padding: never padded
            BertTokenizer tokenizer = BertTokenizer.builder(tok)
                    .maxLength(maxLength)
                    .truncation(true)
                    .padding(BertTokenizer.Padding.LONGEST)
                    .addSpecialTokens(true)
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

    Encoded encode(String text) {
        TokenizedBatch batch = tokenizer.encode(List.of(text));
        long[] ids = batch.ids()[0];
        int s = ids.length;
        int h = model.config().hiddenSize();
        try (NDManager step = manager.newSubManager()) {
            BertInputs in = batch.toInputs(step);
            BertOutput out = model.infer(parameters, in);
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
