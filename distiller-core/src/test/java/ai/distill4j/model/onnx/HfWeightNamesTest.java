package ai.distill4j.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HfWeightNamesTest {

    @Test
    void recoversHuggingFaceNamesForEveryExportPattern() throws Exception {
        RecoveredWeights w = HfWeightNames.recover(roundTrip(SyntheticGraphs.fourLinears(1)).graph());
        assertEquals(Set.of(
                        "encoder.layer.0.attention.self.query.weight",
                        "encoder.layer.0.attention.self.query.bias",
                        "pooler.dense.weight",
                        "pooler.dense.bias",
                        "classifier.weight",
                        "classifier.bias",
                        "encoder.layer.0.intermediate.dense.weight",
                        "encoder.layer.0.intermediate.dense.bias",
                        "embeddings.LayerNorm.weight"),
                w.tensors().keySet());
        assertEquals(List.of("embeddings.position_ids"), w.unusedInitializers());
        assertArrayEquals(new float[] {1, 2, 3, 4}, w.require("embeddings.LayerNorm.weight").toFloatArray());
    }

    @Test
    void linearWeightsComeOutInHuggingFaceLayoutOutByIn() throws Exception {
        OnnxModel model = SyntheticGraphs.fourLinears(2);
        Map<String, OnnxTensorData> init = model.graph().initializerMap();
        RecoveredWeights w = HfWeightNames.recover(roundTrip(model).graph());

        // anonymous MatMul weight [in=4, out=3] -> [3, 4], element (o, i) = stored (i, o)
        OnnxTensorData q = w.require("encoder.layer.0.attention.self.query.weight");
        assertArrayEquals(new long[] {3, 4}, q.dims());
        float[] stored = init.get("onnx::MatMul_11").toFloatArray();
        float[] hf = q.toFloatArray();
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(stored[i * 3 + o], hf[o * 4 + i], 0f, "query.weight[" + o + "," + i + "]");
            }
        }
        // Gemm transB=1 and Transpose->MatMul already hold [out, in]: unchanged
        assertArrayEquals(init.get("bert.pooler.dense.weight").toFloatArray(),
                w.require("pooler.dense.weight").toFloatArray());
        assertArrayEquals(new long[] {5, 4}, w.require("classifier.weight").dims());
        assertArrayEquals(init.get("classifier.weight").toFloatArray(), w.require("classifier.weight").toFloatArray());
        // anonymous bias keeps its values under the recovered name
        assertArrayEquals(init.get("onnx::Add_13").toFloatArray(),
                w.require("encoder.layer.0.intermediate.dense.bias").toFloatArray());
        assertArrayEquals(new long[] {6, 4}, w.require("encoder.layer.0.intermediate.dense.weight").dims());
    }

    @Test
    void recoveredWeightsReproduceTheGraphAsComputedByOnnxRuntime() throws Exception {
        OnnxModel model = SyntheticGraphs.fourLinears(3);
        byte[] bytes = OnnxModelWriter.toBytes(model);
        RecoveredWeights w = HfWeightNames.recover(OnnxModelReader.read(bytes, "synthetic").graph());
        float[] x = {0.5f, -1f, 2f, 0.25f, 1.5f, 0f, -0.75f, 3f};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {2, 4});
                OrtSession.Result result = session.run(Map.of("x", input))) {
            for (String[] pair : new String[][] {
                {"query", "encoder.layer.0.attention.self.query"},
                {"pooled", "pooler.dense"},
                {"logits", "classifier"},
                {"intermediate", "encoder.layer.0.intermediate.dense"}
            }) {
                float[][] ort = (float[][]) result.get(pair[0]).orElseThrow().getValue();
                float[][] ours = linear(x, w.require(pair[1] + ".weight"), w.require(pair[1] + ".bias"));
                for (int b = 0; b < 2; b++) {
                    assertArrayEquals(ort[b], ours[b], 1e-5f, pair[0] + " row " + b);
                }
            }
        }
    }

    @Test
    void nodeNamesGiveModulePathsWithoutTheBertPrefix() {
        assertEquals("encoder.layer.3.output.dense",
                HfWeightNames.moduleFromNodeName("/bert/encoder/layer.3/output/dense/MatMul").orElseThrow());
        assertTrue(HfWeightNames.moduleFromNodeName("MatMul_3").isEmpty());
        assertTrue(HfWeightNames.moduleFromNodeName("/Mul").isEmpty());
    }

    /** y = x W^T + b with W in HF layout [out, in]. */
    private static float[][] linear(float[] x, OnnxTensorData weight, OnnxTensorData bias) {
        int out = (int) weight.dims()[0];
        int in = (int) weight.dims()[1];
        float[] wv = weight.toFloatArray();
        float[] bv = bias.toFloatArray();
        int rows = x.length / in;
        float[][] y = new float[rows][out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = bv[o];
                for (int i = 0; i < in; i++) {
                    s += (double) x[r * in + i] * wv[o * in + i];
                }
                y[r][o] = (float) s;
            }
        }
        return y;
    }

    private static OnnxModel roundTrip(OnnxModel model) throws Exception {
        return OnnxModelReader.read(OnnxModelWriter.toBytes(model), "synthetic");
    }
}
