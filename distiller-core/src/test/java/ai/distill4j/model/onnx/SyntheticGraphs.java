package ai.distill4j.model.onnx;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small hand-built ONNX graphs with known weights, in the shapes exporters produce. */
final class SyntheticGraphs {

    static final int IN = 4;

    private SyntheticGraphs() {}

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static OnnxValueInfo floatInput(String name, int width) {
        return new OnnxValueInfo(name, OnnxDataType.FLOAT,
                List.of(OnnxValueInfo.Dim.symbolic("batch"), OnnxValueInfo.Dim.fixed(width)));
    }

    /**
     * Four linear layers exported four ways, all reading x (batch, 4):
     * <ul>
     *   <li>query: MatMul with an anonymous [in,out] weight, named by the bias Add (bias first, as torch exports);
     *   <li>pooler: Gemm transB=1 with bert.-prefixed [out,in] weight and bias;
     *   <li>classifier: Transpose of a named [out,in] weight, then MatMul, then Add (bias second);
     *   <li>intermediate: MatMul with anonymous weight and anonymous bias, named only by node names.
     * </ul>
     * plus an unused int64 initializer and an old-style LayerNorm.gamma.
     */
    static OnnxModel fourLinears(long seed) {
        Random r = new Random(seed);
        OnnxTensorData qW = OnnxTensorData.ofFloats("onnx::MatMul_11", new long[] {IN, 3}, random(r, IN * 3));
        OnnxTensorData qB = OnnxTensorData.ofFloats(
                "encoder.layer.0.attention.self.query.bias", new long[] {3}, random(r, 3));
        OnnxTensorData pW = OnnxTensorData.ofFloats("bert.pooler.dense.weight", new long[] {2, IN}, random(r, 2 * IN));
        OnnxTensorData pB = OnnxTensorData.ofFloats("bert.pooler.dense.bias", new long[] {2}, random(r, 2));
        OnnxTensorData cW = OnnxTensorData.ofFloats("classifier.weight", new long[] {5, IN}, random(r, 5 * IN));
        OnnxTensorData cB = OnnxTensorData.ofFloats("classifier.bias", new long[] {5}, random(r, 5));
        OnnxTensorData iW = OnnxTensorData.ofFloats("onnx::MatMul_12", new long[] {IN, 6}, random(r, IN * 6));
        OnnxTensorData iB = OnnxTensorData.ofFloats("onnx::Add_13", new long[] {6}, random(r, 6));
        OnnxTensorData gamma = OnnxTensorData.ofFloats("bert.embeddings.LayerNorm.gamma", new long[] {IN},
                new float[] {1, 2, 3, 4});
        OnnxTensorData positionIds = OnnxTensorData.ofLongs("embeddings.position_ids", new long[] {1, 3},
                new long[] {0, 1, 2});
        List<OnnxNode> nodes = List.of(
                OnnxNode.of("MatMul", "/encoder/layer.0/attention/self/query/MatMul",
                        List.of("x", qW.name()), List.of("q_mm")),
                OnnxNode.of("Add", "/encoder/layer.0/attention/self/query/Add",
                        List.of(qB.name(), "q_mm"), List.of("query")),
                OnnxNode.of("Gemm", "/bert/pooler/dense/Gemm", List.of("x", pW.name(), pB.name()),
                        List.of("pooled"), OnnxAttribute.ofInt("transB", 1), OnnxAttribute.ofFloat("alpha", 1f)),
                OnnxNode.of("Transpose", "/classifier/Transpose", List.of(cW.name()), List.of("cWt"),
                        OnnxAttribute.ofInts("perm", 1, 0)),
                OnnxNode.of("MatMul", "/classifier/MatMul", List.of("x", "cWt"), List.of("c_mm")),
                OnnxNode.of("Add", "/classifier/Add", List.of("c_mm", cB.name()), List.of("logits")),
                OnnxNode.of("MatMul", "/encoder/layer.0/intermediate/dense/MatMul", List.of("x", iW.name()),
                        List.of("i_mm")),
                OnnxNode.of("Add", "/encoder/layer.0/intermediate/dense/Add", List.of("i_mm", iB.name()),
                        List.of("intermediate")));
        OnnxGraph graph = new OnnxGraph("four_linears", nodes,
                List.of(qW, qB, pW, pB, cW, cB, iW, iB, gamma, positionIds),
                List.of(floatInput("x", IN)),
                List.of(floatInput("query", 3), floatInput("pooled", 2), floatInput("logits", 5),
                        floatInput("intermediate", 6)));
        return new OnnxModel(8, "distill4j-test", "0", Map.of("", 17L), graph, Map.of("source", "synthetic"));
    }
}
