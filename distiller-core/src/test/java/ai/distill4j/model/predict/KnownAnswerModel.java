package ai.distill4j.model.predict;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.distill4j.model.text.BertTokenizer;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A one-layer, hidden-4 ham/spam classifier over MiniLM's 30522-token vocabulary whose answers are known by
 * construction: it says "spam" exactly when the text holds the token {@code lottery}.
 *
 * <p>Every word embeds to u = [1, -1, 0, 0] except {@code lottery}, which embeds to w = [0, 0, 1, -1]; positions and
 * token types embed to 0, so the embedding LayerNorm gives sqrt(2) u or sqrt(2) w. Queries and keys are 0, so
 * attention is uniform over the real tokens; values and the attention output are the identity, so the [CLS] row
 * becomes LN(u + mean of the tokens) = a u + b w with b > 0 exactly when some token is {@code lottery} (b = 0
 * otherwise). The feed-forward is 0 (the LayerNorm keeps the row), the pooler is tanh of the identity, and the
 * classifier reads logits [1, 1000 * pooled[2]]: without {@code lottery} they are exactly [1, 0], so ham wins with
 * probability e / (1 + e); with one {@code lottery} among n tokens pooled[2] >= tanh(sqrt(2) / (2n)), so spam wins
 * for n up to a few hundred.
 *
 * <p>Shared through distiller-core's test jar: distiller-examples' tests use it, and scripts/smoke-examples runs
 * {@link #main} with that jar on the command line's classpath.
 */
public final class KnownAnswerModel {

    /** The word that makes a text spam (one token of the vocabulary). */
    public static final String TRIGGER = "lottery";

    /** p(ham) of a text without the trigger: softmax([1, 0])[0]. */
    public static final double HAM_PROBABILITY = Math.E / (1 + Math.E);

    private KnownAnswerModel() {}

    /**
     * Writes the model folder (config.json, model.safetensors, tokenizer.json).
     *
     * @param dir the folder to create
     * @return dir
     * @throws IOException when the folder cannot be written or the bundled tokenizer is not on the classpath
     */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tokenizerJson = dir.resolve("minilm-tokenizer.json");
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tokenizerJson);
        }
        long trigger;
        try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(8).build()) {
            long[] ids = tok.encode(List.of(TRIGGER)).ids()[0];
            if (ids.length != 3) {
                throw new IllegalStateException("'" + TRIGGER + "' is not one token of the MiniLM vocabulary");
            }
            trigger = ids[1];
        }
        BertConfig config = BertConfig.builder()
                .vocabSize(30522).hiddenSize(4).numHiddenLayers(1).numAttentionHeads(1).intermediateSize(4)
                .hiddenAct("gelu").hiddenDropoutProb(0).attentionProbsDropoutProb(0).maxPositionEmbeddings(128)
                .typeVocabSize(2).layerNormEps(1e-12).padTokenId(0)
                .id2label(Map.of(0, "ham", 1, "spam"))
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            BertModel model = new BertModel(config, BertHead.SEQUENCE_CLASSIFICATION);
            model.setInitializer(Initializer.ZEROS, p -> true);
            model.initialize(manager, DataType.FLOAT32);
            Map<String, Parameter> p = model.namedParameters();
            float[] words = new float[30522 * 4];
            for (int v = 0; v < 30522; v++) {
                float[] row = v == trigger ? new float[] {0, 0, 1, -1} : new float[] {1, -1, 0, 0};
                System.arraycopy(row, 0, words, v * 4, 4);
            }
            p.get("embeddings.word_embeddings.weight").getArray().set(words);
            float[] ones = {1, 1, 1, 1};
            float[] identity = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
            p.get("embeddings.LayerNorm.weight").getArray().set(ones);
            p.get("encoder.layer.0.attention.output.LayerNorm.weight").getArray().set(ones);
            p.get("encoder.layer.0.output.LayerNorm.weight").getArray().set(ones);
            p.get("encoder.layer.0.attention.self.value.weight").getArray().set(identity);
            p.get("encoder.layer.0.attention.output.dense.weight").getArray().set(identity);
            p.get("pooler.dense.weight").getArray().set(identity);
            p.get("classifier.weight").getArray().set(new float[] {0, 0, 0, 0, 0, 0, 1000, 0});
            p.get("classifier.bias").getArray().set(new float[] {1, 0});
            BertModels.save(model, dir, tokenizerJson);
        }
        Files.delete(tokenizerJson);
        return dir;
    }

    /**
     * Writes the model folder named by the only argument (for the smoke runs of the command line).
     *
     * @param args the output folder
     * @throws IOException when writing fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KnownAnswerModel OUT_DIR");
            System.exit(2);
        }
        System.out.println("wrote the known-answer classifier to " + write(Path.of(args[0])));
    }
}
