package ai.distill4j.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertOnnxExporterTest {

    @TempDir
    static Path tmp;

    private static NDManager manager;
    private static byte[] originalBytes;
    private static BertModel miniLm;
    private static byte[] exportedBytes;
    private static Path tokenizerJson;

    @BeforeAll
    static void importAndExportMiniLm() throws IOException {
        try (InputStream in = BundledMiniLm.openOnnx()) {
            originalBytes = in.readAllBytes();
        }
        tokenizerJson = tmp.resolve("tokenizer.json");
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tokenizerJson);
        }
        manager = NDManager.newBaseManager();
        miniLm = BertOnnxImporter.builder().build()
                .load(OnnxModelReader.read(originalBytes, "minilm"), manager).model();
        Path file = tmp.resolve("exported.onnx");
        BertOnnxExporter.builder().build().export(miniLm, file);
        exportedBytes = Files.readAllBytes(file);
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void exportedGraphHasDynamicInt64InputsAndOpset17() throws IOException {
        OnnxModel m = OnnxModelReader.read(exportedBytes, "exported");
        assertEquals(17, m.defaultOpset());
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
                m.graph().inputs().stream().map(OnnxValueInfo::name).toList());
        for (OnnxValueInfo in : m.graph().inputs()) {
            assertEquals(OnnxDataType.INT64, in.elementType());
            assertEquals(List.of(OnnxValueInfo.Dim.symbolic("batch"), OnnxValueInfo.Dim.symbolic("sequence")),
                    in.shape());
        }
        assertEquals(List.of("last_hidden_state"), m.graph().outputs().stream().map(OnnxValueInfo::name).toList());
        assertTrue(m.graph().initializerMap().containsKey("encoder.layer.5.output.dense.weight"));
        assertArrayEquals(new long[] {384, 1536},
                m.graph().initializerMap().get("encoder.layer.5.output.dense.weight").dims());
    }

    @Test
    void onnxRuntimeOnTheExportMatchesTheProjectForward() throws Exception {
        long[][][] batch = OnnxParity.tokenize(tokenizerJson, BertOnnxImporterTest.SENTENCES);
        float[][][] ort = OnnxParity.runOnnxRuntime(exportedBytes, batch, "last_hidden_state");
        float[][][] ours = OnnxParity.lastHidden(miniLm, batch);
        double real = OnnxParity.maxAbsDiff(ort, ours, batch[1], false);
        double all = OnnxParity.maxAbsDiff(ort, ours, batch[1], true);
        System.out.printf("exported MiniLM in ONNX Runtime vs project forward: max |diff| %.3g real tokens,"
                + " %.3g with padding%n", real, all);
        assertTrue(real < 1e-4, "real tokens " + real);
        assertTrue(all < 5e-4, "with padding " + all);
    }

    @Test
    void importThenExportReproducesTheOriginalGraphOutputs() throws Exception {
        long[][][] batch = OnnxParity.tokenize(tokenizerJson, BertOnnxImporterTest.SENTENCES);
        float[][][] original = OnnxParity.runOnnxRuntime(originalBytes, batch, "last_hidden_state");
        float[][][] roundTrip = OnnxParity.runOnnxRuntime(exportedBytes, batch, "last_hidden_state");
        double real = OnnxParity.maxAbsDiff(original, roundTrip, batch[1], false);
        System.out.printf("original vs re-exported MiniLM, both in ONNX Runtime: max |diff| %.3g%n", real);
        assertTrue(real < 1e-4, "real tokens " + real);
    }

    @Test
    void reimportingTheExportGivesTheSameConfigAndWeights() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            ImportedBert back = BertOnnxImporter.builder().build()
                    .load(OnnxModelReader.read(exportedBytes, "exported"), m);
            assertEquals(miniLm.config(), back.config());
            assertEquals(List.of(), back.unusedInitializers());
            for (Map.Entry<String, Parameter> e : miniLm.namedParameters().entrySet()) {
                assertArrayEquals(e.getValue().getArray().toFloatArray(),
                        back.model().namedParameters().get(e.getKey()).getArray().toFloatArray(), 0f, e.getKey());
            }
        }
    }

    @Test
    void sequenceClassificationLogitsMatch() throws Exception {
        checkHead(BertHead.SEQUENCE_CLASSIFICATION, "gelu", 11);
    }

    @Test
    void tokenClassificationWithTanhGeluLogitsMatch() throws Exception {
        checkHead(BertHead.TOKEN_CLASSIFICATION, "gelu_new", 12);
    }

    @Test
    void reluEncoderMatches() throws Exception {
        checkHead(BertHead.NONE, "relu", 13);
    }

    @Test
    void logitsFromAModelWithoutClassifierAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> BertOnnxExporter.builder().optLogits(true).build().toOnnx(miniLm));
    }

    @Test
    void nodePathsFollowTorchNaming() {
        assertEquals("/encoder/layer.11/attention/self/query",
                BertOnnxExporter.nodePath("encoder.layer.11.attention.self.query"));
        assertEquals("/pooler/dense", BertOnnxExporter.nodePath("pooler.dense"));
    }

    private static void checkHead(BertHead head, String act, long seed) throws Exception {
        BertConfig config = BertConfig.builder().vocabSize(100).hiddenSize(32).numHiddenLayers(2)
                .numAttentionHeads(4).intermediateSize(48).maxPositionEmbeddings(40).hiddenAct(act)
                .numLabels(3).build();
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = Students.random(config, head, seed, m);
            boolean logits = head.hasClassifier();
            byte[] bytes = OnnxModelWriter.toBytes(BertOnnxExporter.builder().optLogits(logits).build().toOnnx(model));
            for (int[] bs : new int[][] {{3, 9}, {2, 17}}) { // dynamic batch and sequence
                long[][][] batch = OnnxParity.randomBatch(seed + bs[1], bs[0], bs[1], 100);
                OnnxParity.BertOutputs ours = OnnxParity.forward(model, batch);
                float[][][] ort = OnnxParity.runOnnxRuntime(bytes, batch, "last_hidden_state");
                assertTrue(OnnxParity.maxAbsDiff(ort, ours.lastHidden(), batch[1], false) < 1e-4, head + " hidden");
                if (logits) {
                    Object raw = OnnxParity.runOnnxRuntimeRaw(bytes, batch, "logits");
                    float[] flat = flattenAny(raw);
                    assertEquals(ours.logits().length, flat.length);
                    double max = 0;
                    for (int i = 0; i < flat.length; i++) {
                        max = Math.max(max, Math.abs(flat[i] - ours.logits()[i]));
                    }
                    assertTrue(max < 1e-4, head + " logits differ by " + max);
                }
            }
            // and the export imports back to the same head and labels
            ImportedBert back = BertOnnxImporter.builder().build().load(OnnxModelReader.read(bytes, "x"), m);
            assertEquals(logits ? head : BertHead.NONE, back.head());
            assertEquals(config.hiddenAct(), back.config().hiddenAct());
            assertEquals(4, back.config().numAttentionHeads());
        }
    }

    private static float[] flattenAny(Object o) {
        if (o instanceof float[][] m) {
            float[] out = new float[m.length * m[0].length];
            for (int i = 0; i < m.length; i++) {
                System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
            }
            return out;
        }
        float[][][] t = (float[][][]) o;
        int s = t[0].length;
        int c = t[0][0].length;
        float[] out = new float[t.length * s * c];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < s; j++) {
                System.arraycopy(t[i][j], 0, out, (i * s + j) * c, c);
            }
        }
        return out;
    }
}
