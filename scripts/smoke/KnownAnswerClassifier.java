// Writes a tiny ham/spam classifier folder whose answers are known, for the predict/evaluate smoke steps of
// scripts/smoke-examples (there is no trained classifier to use before a distillation has run).
// Run as a single-file program with the CLI's classpath:
//   java -cp "<distiller-examples jar>:$(cat distiller-examples/target/classpath.txt)" \
//       scripts/smoke/KnownAnswerClassifier.java OUT_DIR
// The model (1 layer, hidden 4, MiniLM's tokenizer and 30522-token vocabulary) says "spam" exactly when the text
// holds the word "lottery", and "ham" with probability e / (1 + e) = 0.7311 otherwise. How: every token embeds to
// u = [1, -1, 0, 0] except "lottery" (w = [0, 0, 1, -1]); queries and keys are 0 (uniform attention), values, the
// attention output and the pooler are the identity, the feed-forward is 0, and the classifier reads
// logits [1, 1000 * pooled[2]], where pooled[2] > 0 exactly when some token is "lottery".

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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

public class KnownAnswerClassifier {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KnownAnswerClassifier OUT_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Path tokenizerJson = Files.createTempFile("minilm-tokenizer", ".json");
        try {
            try (InputStream in = BundledMiniLm.openTokenizer()) {
                Files.copy(in, tokenizerJson, StandardCopyOption.REPLACE_EXISTING);
            }
            long trigger;
            try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(8).build()) {
                trigger = tok.encode(List.of("lottery")).ids()[0][1];
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
        } finally {
            Files.deleteIfExists(tokenizerJson);
        }
        System.out.println("wrote the known-answer classifier to " + dir);
    }
}
