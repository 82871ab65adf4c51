package ai.distill4j.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertOnnxImporterTest {

    /** Real sentences of different lengths, so one batch pads most rows. */
    static final List<String> SENTENCES = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Hello world!",
            "Knowledge distillation compresses a large teacher into a small student model.",
            "Stock markets fell sharply after the central bank raised interest rates again on Tuesday.",
            "Où est la gare?",
            "A",
            "BERT-style encoders are pre-trained on masked language modelling.");

    @TempDir
    static Path tmp;

    private static byte[] onnxBytes;
    private static OnnxModel onnx;
    private static Path tokenizerJson;
    private static NDManager manager;
    private static ImportedBert imported;

    @BeforeAll
    static void importBundledMiniLm() throws IOException {
        try (InputStream in = BundledMiniLm.openOnnx()) {
            onnxBytes = in.readAllBytes();
        }
        onnx = OnnxModelReader.read(onnxBytes, BundledMiniLm.ONNX_RESOURCE);
        tokenizerJson = tmp.resolve("tokenizer.json");
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tokenizerJson);
        }
        manager = NDManager.newBaseManager();
        // no options: heads, eps and activation are read from the graph
        imported = BertOnnxImporter.builder().build().load(onnx, manager);
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void infersMiniLmConfigFromShapesAndGraph() {
        BertConfig c = imported.config();
        assertEquals(30522, c.vocabSize());
        assertEquals(384, c.hiddenSize());
        assertEquals(6, c.numHiddenLayers());
        assertEquals(12, c.numAttentionHeads());
        assertEquals(1536, c.intermediateSize());
        assertEquals(512, c.maxPositionEmbeddings());
        assertEquals(2, c.typeVocabSize());
        assertEquals(1e-12, c.layerNormEps(), 1e-18);
        assertEquals("gelu", c.hiddenAct());
        assertEquals(BertHead.NONE, imported.head());
        assertEquals(List.of("embeddings.position_ids"), imported.unusedInitializers());
        assertEquals(List.of(), imported.droppedWeights());
    }

    @Test
    void anonymousMatMulWeightsBecomeTransposedHfWeights() {
        float[] stored = onnx.graph().initializerMap().get("onnx::MatMul_787").toFloatArray(); // [in=384, out=384]
        float[] query = imported.model().namedParameters()
                .get("encoder.layer.0.attention.self.query.weight").getArray().toFloatArray(); // [out, in]
        for (int o : new int[] {0, 1, 200, 383}) {
            for (int i : new int[] {0, 7, 383}) {
                assertEquals(stored[i * 384 + o], query[o * 384 + i], 0f);
            }
        }
        float[] ffnOut = imported.model().namedParameters()
                .get("encoder.layer.5.output.dense.weight").getArray().toFloatArray();
        assertEquals(384 * 1536, ffnOut.length);
        float[] storedFfn = onnx.graph().initializerMap().get("onnx::MatMul_864").toFloatArray(); // [1536, 384]
        assertEquals(storedFfn[1535 * 384 + 2], ffnOut[2 * 1536 + 1535], 0f);
    }

    @Test
    void lastHiddenStatesMatchOnnxRuntimeOnAPaddedBatch() throws Exception {
        long[][][] batch = tokenize(SENTENCES);
        int b = batch[0].length;
        int s = batch[0][0].length;
        assertTrue(s > 10 && batch[1][5][3] == 0, "the batch must contain padding");
        float[][][] reference = runOnnxRuntime(onnxBytes, batch);
        float[][][] ours = runImported(imported.model(), batch);
        double maxAbs = maxAbsDiff(reference, ours, batch[1], false);
        double maxAbsWithPadding = maxAbsDiff(reference, ours, batch[1], true);
        System.out.printf("MiniLM import vs ONNX Runtime (B=%d, S=%d): max |diff| = %.3g on real tokens,"
                + " %.3g including padded positions%n", b, s, maxAbs, maxAbsWithPadding);
        assertTrue(maxAbs < 1e-4, "max abs diff on real tokens " + maxAbs);
        // Outputs at padded positions are never used (HF ignores them too); their rows attend to few real keys and
        // amplify float32 rounding (measured 9.4e-5 for a 3-token row in an 18-token batch), so a looser bound.
        assertTrue(maxAbsWithPadding < 5e-4, "max abs diff including padding " + maxAbsWithPadding);
    }

    @Test
    void savedFolderReloadsToTheSameModel() throws Exception {
        Path dir = tmp.resolve("minilm");
        BertModels.save(imported.model(), dir, tokenizerJson);
        assertTrue(Files.isRegularFile(dir.resolve("config.json")));
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        try (NDManager m = NDManager.newBaseManager()) {
            LoadedBert loaded = BertModels.load(dir, m);
            assertEquals(imported.config().numAttentionHeads(), loaded.config().numAttentionHeads());
            assertEquals(List.of(), loaded.unusedTensors());
            long[][][] batch = tokenize(SENTENCES.subList(0, 3));
            float[][][] a = runImported(imported.model(), batch);
            float[][][] c = runImported(loaded.model(), batch);
            assertEquals(0.0, maxAbsDiff(a, c, batch[1], true), 0.0);
        }
    }

    @Test
    void explicitOptionsOverrideTheGraph() {
        RecoveredWeights w = HfWeightNames.recover(onnx.graph());
        BertConfig c = BertOnnxImporter.builder().optNumAttentionHeads(6).optLayerNormEps(1e-5)
                .optHiddenAct("relu").build().inferConfig(onnx.graph(), w);
        assertEquals(6, c.numAttentionHeads());
        assertEquals(1e-5, c.layerNormEps(), 0);
        assertEquals("relu", c.hiddenAct());
    }

    @Test
    void headsThatDoNotDivideHiddenAreRejectedWithTheNumbers() {
        RecoveredWeights w = HfWeightNames.recover(onnx.graph());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertOnnxImporter.builder().optNumAttentionHeads(7).build().inferConfig(onnx.graph(), w));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("384"), e.getMessage());
    }

    @Test
    void baseConfigThatContradictsTheWeightsIsRejected() {
        RecoveredWeights w = HfWeightNames.recover(onnx.graph());
        BertConfig bertBase = BertConfig.builder().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertOnnxImporter.builder().optBaseConfig(bertBase).build().inferConfig(onnx.graph(), w));
        assertTrue(e.getMessage().contains("hidden_size") && e.getMessage().contains("768"), e.getMessage());
    }

    @Test
    void aGraphThatIsNotBertSaysWhatIsMissing() throws IOException {
        OnnxModel synthetic = OnnxModelReader.read(
                OnnxModelWriter.toBytes(SyntheticGraphs.fourLinears(1)), "synthetic");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertOnnxImporter.builder().build().load(synthetic, manager));
        assertTrue(e.getMessage().contains("embeddings.word_embeddings.weight"), e.getMessage());
    }

    static long[][][] tokenize(List<String> texts) throws IOException {
        return OnnxParity.tokenize(tokenizerJson, texts);
    }

    static float[][][] runOnnxRuntime(byte[] model, long[][][] batch) throws Exception {
        return OnnxParity.runOnnxRuntime(model, batch, "last_hidden_state");
    }

    static float[][][] runImported(BertModel model, long[][][] batch) {
        return OnnxParity.lastHidden(model, batch);
    }

    static double maxAbsDiff(float[][][] a, float[][][] b, long[][] mask, boolean includePadding) {
        return OnnxParity.maxAbsDiff(a, b, mask, includePadding);
    }
}
