package ai.distill4j.model.sentence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.eval.EmbeddingAgreementEvaluator;
import ai.distill4j.distill.eval.RetrievalEvaluator;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.onnx.BertOnnxImporter;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.text.BertTokenizer;
import ai.distill4j.model.text.TokenizedBatch;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real all-MiniLM-L6-v2 (imported from the ONNX graph the langchain4j artifact bundles) saved as a
 * Sentence-Transformers folder and read back: its sentence vectors equal mean pooling + L2 normalisation of ONNX
 * Runtime's token vectors, and it retrieves paraphrases.
 */
@Tag("slow")
class AllMiniLmSentenceModelTest {

    static final List<String> DOCUMENTS = List.of(
            "The cat is sleeping on the warm windowsill.",
            "Interest rates were raised by the central bank.",
            "The football team won the championship final.",
            "Heavy rain caused flooding in the city centre.",
            "She is learning to play the violin.",
            "The new phone has a much better camera.");

    static final List<String> QUERIES = List.of(
            "A kitten naps in the sun by the window.",
            "The central bank increased borrowing costs.",
            "Who won the cup final?",
            "Streets were flooded after the storm.",
            "Violin lessons for beginners",
            "smartphone camera quality");

    @Test
    void miniLmSavedAsSentenceTransformersEncodesLikeOnnxRuntimeWithMeanPoolingAndNormalisation(@TempDir Path tmp)
            throws Exception {
        byte[] onnx;
        try (InputStream in = BundledMiniLm.openOnnx()) {
            onnx = in.readAllBytes();
        }
        Path tokenizerJson = tmp.resolve("tokenizer.json");
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tokenizerJson);
        }
        Path onnxFile = tmp.resolve("model.onnx");
        Files.write(onnxFile, onnx);
        Path folder = tmp.resolve("all-MiniLM-L6-v2");
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel imported = BertOnnxImporter.builder().build().load(onnxFile, m).model();
            SentenceTransformers.save(imported, Pooling.mean().normalized(), new SentenceBertConfig(256, false),
                    tokenizerJson, folder);
            try (SentenceModel model = SentenceTransformers.load(folder, m);
                    BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(256).build()) {
                SentenceEncoder encoder = model.encoder(4);
                float[][] ours = encoder.encode(DOCUMENTS);

                TokenizedBatch batch = tok.encode(DOCUMENTS);
                float[][][] hidden = onnxRuntime(onnx, batch);
                double maxDiff = 0;
                for (int i = 0; i < DOCUMENTS.size(); i++) {
                    double[] ref = meanNormalised(hidden[i], batch.mask()[i]);
                    for (int j = 0; j < ref.length; j++) {
                        maxDiff = Math.max(maxDiff, Math.abs(ref[j] - ours[i][j]));
                    }
                }
                System.out.printf("all-MiniLM-L6-v2 via the Sentence-Transformers folder vs ONNX Runtime + mean + "
                        + "normalise: max |diff| = %.3g%n", maxDiff);
                assertTrue(maxDiff < 1e-5, "max |diff| " + maxDiff);

                Map<String, Double> retrieval = RetrievalEvaluator.builder().queries(QUERIES).documents(DOCUMENTS)
                        .relevantDocument(new int[] {0, 1, 2, 3, 4, 5}).build().evaluate(encoder);
                System.out.println("all-MiniLM-L6-v2 retrieval of paraphrases: " + retrieval);
                assertEquals(1.0, retrieval.get(RetrievalEvaluator.RECALL_AT_1));

                BertModel student = Students.fromTeacher(model.model(), new int[] {1, 3, 5}, m);
                SentenceEncoder studentEncoder = SentenceEncoder.builder(student).pooling(model.pooling())
                        .tokenizer(tok).build();
                List<String> heldOut = new java.util.ArrayList<>(DOCUMENTS);
                heldOut.addAll(QUERIES);
                Map<String, Double> agreement = EmbeddingAgreementEvaluator.builder().texts(heldOut)
                        .teacher(encoder).build().evaluate(studentEncoder);
                System.out.println("3-layer student copied from layers 1,3,5, before training: " + agreement);
                assertTrue(agreement.get(EmbeddingAgreementEvaluator.MEAN_COSINE) > 0
                        && agreement.get(EmbeddingAgreementEvaluator.MEAN_COSINE) < 1, agreement.toString());
            }
        }
    }

    static double[] meanNormalised(float[][] tokens, long[] mask) {
        double[] v = new double[tokens[0].length];
        int n = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] == 1) {
                n++;
                for (int j = 0; j < v.length; j++) {
                    v[j] += tokens[t][j];
                }
            }
        }
        double norm = 0;
        for (int j = 0; j < v.length; j++) {
            v[j] /= n;
            norm += v[j] * v[j];
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < v.length; j++) {
            v[j] /= norm;
        }
        return v;
    }

    static float[][][] onnxRuntime(byte[] model, TokenizedBatch batch) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opts);
                    OnnxTensor ids = OnnxTensor.createTensor(env, batch.ids());
                    OnnxTensor mask = OnnxTensor.createTensor(env, batch.mask());
                    OnnxTensor types = OnnxTensor.createTensor(env, batch.types());
                    OrtSession.Result r = session.run(
                            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
                return (float[][][]) r.get("last_hidden_state").orElseThrow().getValue();
            }
        }
    }
}
