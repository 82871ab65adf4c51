package ai.distill4j.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelReaderTest {

    private static OnnxModel miniLm;

    @BeforeAll
    static void readBundledMiniLm() throws IOException {
        try (InputStream in = BundledMiniLm.openOnnx()) {
            miniLm = OnnxModelReader.read(in, BundledMiniLm.ONNX_RESOURCE);
        }
    }

    @Test
    void readsTheHeaderInputsAndOutputsOfTheBundledMiniLm() {
        assertEquals("pytorch", miniLm.producerName());
        assertEquals(11, miniLm.defaultOpset());
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
                miniLm.graph().inputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals(OnnxDataType.INT64, miniLm.graph().inputs().get(0).elementType());
        assertEquals(List.of("last_hidden_state"),
                miniLm.graph().outputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals(3, miniLm.graph().outputs().get(0).shape().size());
    }

    @Test
    void readsInitializersWithShapesTypesAndValues() {
        OnnxTensorData words = miniLm.graph().initializerMap().get("embeddings.word_embeddings.weight");
        assertArrayEquals(new long[] {30522, 384}, words.dims());
        assertEquals(OnnxDataType.FLOAT, words.dataType());
        float[] v = words.toFloatArray();
        assertEquals(30522 * 384, v.length);
        assertTrue(Float.isFinite(v[v.length - 1]));
        OnnxTensorData positions = miniLm.graph().initializerMap().get("embeddings.position_ids");
        long[] ids = positions.toLongArray();
        assertEquals(511, ids[511]);
        // 6 layers x (4 attention + 2 feed-forward) anonymous MatMul weights
        long anonymous = miniLm.graph().initializers().stream().filter(t -> t.name().startsWith("onnx::MatMul")).count();
        assertEquals(36, anonymous);
    }

    @Test
    void readsNodesWithOperatorsAndAttributes() {
        assertEquals(48, miniLm.graph().opTypeCounts().get("MatMul"));
        OnnxNode softmax = miniLm.graph().nodes().stream()
                .filter(n -> n.opType().equals("Softmax")).findFirst().orElseThrow();
        assertEquals(3, softmax.attribute("axis").orElseThrow().i());
        OnnxNode firstMatMul = miniLm.graph().nodes().stream()
                .filter(n -> n.opType().equals("MatMul")).findFirst().orElseThrow();
        assertEquals("/encoder/layer.0/attention/self/query/MatMul", firstMatMul.name());
        assertEquals("onnx::MatMul_787", firstMatMul.inputs().get(1));
    }

    @Test
    void writerOutputReadsBackIdentically() throws IOException {
        OnnxModel model = SyntheticGraphs.fourLinears(7);
        OnnxModel back = OnnxModelReader.read(OnnxModelWriter.toBytes(model), "synthetic");
        assertEquals(model.irVersion(), back.irVersion());
        assertEquals(model.opsetImports(), back.opsetImports());
        assertEquals(model.metadata(), back.metadata());
        assertEquals(model.graph().nodes().size(), back.graph().nodes().size());
        for (int i = 0; i < model.graph().nodes().size(); i++) {
            OnnxNode a = model.graph().nodes().get(i);
            OnnxNode b = back.graph().nodes().get(i);
            assertEquals(a.opType(), b.opType());
            assertEquals(a.name(), b.name());
            assertEquals(a.inputs(), b.inputs());
            assertEquals(a.outputs(), b.outputs());
            assertEquals(a.attributes().toString(), b.attributes().toString());
        }
        assertEquals(model.graph().inputs(), back.graph().inputs());
        assertEquals(model.graph().outputs(), back.graph().outputs());
        for (int i = 0; i < model.graph().initializers().size(); i++) {
            OnnxTensorData a = model.graph().initializers().get(i);
            OnnxTensorData b = back.graph().initializers().get(i);
            assertEquals(a.name(), b.name());
            assertEquals(a.dataType(), b.dataType());
            assertArrayEquals(a.dims(), b.dims());
            assertArrayEquals(a.rawData(), b.rawData());
        }
    }

    @Test
    void externalDataIsReadFromTheModelFolder(@TempDir Path dir) throws IOException {
        // Hand-encode a TensorProto with data_location=EXTERNAL pointing at weights.bin, offset 4, length 8.
        byte[] weights = {9, 9, 9, 9, 0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40};
        Files.write(dir.resolve("weights.bin"), weights);
        OnnxModel model = SyntheticGraphs.fourLinears(1);
        byte[] bytes = OnnxModelWriter.toBytes(new OnnxModel(model.irVersion(), "", "", model.opsetImports(),
                new OnnxGraph("g", List.of(), List.of(), List.of(), List.of()), java.util.Map.of()));
        byte[] tensor = ExternalTensorBytes.externalTensor("w", new long[] {2}, "weights.bin", 4, 8);
        byte[] graph = ExternalTensorBytes.field(5, tensor);
        byte[] file = concat(bytes, ExternalTensorBytes.field(7, graph));
        Files.write(dir.resolve("m.onnx"), file);
        OnnxModel back = OnnxModelReader.read(dir.resolve("m.onnx"));
        assertArrayEquals(new float[] {1f, 2f}, back.graph().initializerMap().get("w").toFloatArray());
    }

    @Test
    void garbageIsRejectedWithTheSourceName(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("notes.onnx");
        Files.writeString(f, "this is not a model\n", StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> OnnxModelReader.read(f));
        assertTrue(e.getMessage().contains("notes.onnx"), e.getMessage());
        assertThrows(IOException.class, () -> OnnxModelReader.read(dir.resolve("missing.onnx")));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
