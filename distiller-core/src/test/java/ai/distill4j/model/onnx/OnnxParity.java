package ai.distill4j.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs the same batch through ONNX Runtime and through a {@link BertModel}, and compares. */
final class OnnxParity {

    private OnnxParity() {}

    /** Returns {ids, mask, types}, each (B, S), padded to the longest row. */
    static long[][][] tokenize(Path tokenizerJson, List<String> texts) throws IOException {
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(128)
                .optPadding(true)
                .build()) {
            Encoding[] enc = tok.batchEncode(texts);
            long[][][] out = new long[3][enc.length][];
            for (int i = 0; i < enc.length; i++) {
                out[0][i] = enc[i].getIds();
                out[1][i] = enc[i].getAttentionMask();
                out[2][i] = enc[i].getTypeIds();
            }
            return out;
        }
    }

    /** Random ids in [1, vocab) with trailing padding on every other row; token types 0/1. */
    static long[][][] randomBatch(long seed, int batch, int seq, int vocab) {
        java.util.Random r = new java.util.Random(seed);
        long[][][] out = new long[3][batch][seq];
        for (int i = 0; i < batch; i++) {
            int len = i % 2 == 0 ? seq : Math.max(1, seq / 2 - i);
            for (int t = 0; t < seq; t++) {
                boolean real = t < len;
                out[0][i][t] = real ? 1 + r.nextInt(vocab - 1) : 0;
                out[1][i][t] = real ? 1 : 0;
                out[2][i][t] = real && t >= len / 2 ? 1 : 0;
            }
        }
        return out;
    }

    /** Runs an ONNX graph with input_ids, attention_mask and token_type_ids and returns one output. */
    static Object runOnnxRuntimeRaw(byte[] model, long[][][] batch, String output) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opts);
                    OnnxTensor ids = OnnxTensor.createTensor(env, batch[0]);
                    OnnxTensor mask = OnnxTensor.createTensor(env, batch[1]);
                    OnnxTensor types = OnnxTensor.createTensor(env, batch[2]);
                    OrtSession.Result r = session.run(
                            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
                return r.get(output).orElseThrow().getValue();
            }
        }
    }

    static float[][][] runOnnxRuntime(byte[] model, long[][][] batch, String output) throws Exception {
        return (float[][][]) runOnnxRuntimeRaw(model, batch, output);
    }

    /** The model's eval-mode forward on the batch. */
    static BertOutputs forward(BertModel model, long[][][] batch) {
        int b = batch[0].length;
        int s = batch[0][0].length;
        int h = model.config().hiddenSize();
        try (NDManager step = NDManager.newBaseManager()) {
            Shape shape = new Shape(b, s);
            BertInputs in = new BertInputs(
                    step.create(flatten(batch[0]), shape), step.create(flatten(batch[1]), shape),
                    step.create(flatten(batch[2]), shape));
            BertOutput out = model.forward(new ParameterStore(step, false), in, false, false);
            NDArray last = out.lastHiddenState();
            assertArrayEquals(new long[] {b, s, h}, last.getShape().getShape());
            float[] flat = last.toFloatArray();
            float[][][] hidden = new float[b][s][h];
            for (int i = 0; i < b; i++) {
                for (int t = 0; t < s; t++) {
                    System.arraycopy(flat, (i * s + t) * h, hidden[i][t], 0, h);
                }
            }
            float[] logits = out.logits() == null ? null : out.logits().toFloatArray();
            long[] logitsShape = out.logits() == null ? null : out.logits().getShape().getShape();
            return new BertOutputs(hidden, logits, logitsShape);
        }
    }

    /** Host copies of a forward's outputs. */
    record BertOutputs(float[][][] lastHidden, float[] logits, long[] logitsShape) {}

    static float[][][] lastHidden(BertModel model, long[][][] batch) {
        return forward(model, batch).lastHidden();
    }

    static double maxAbsDiff(float[][][] a, float[][][] b, long[][] mask, boolean includePadding) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < a[i].length; t++) {
                if (!includePadding && mask[i][t] == 0) {
                    continue;
                }
                for (int k = 0; k < a[i][t].length; k++) {
                    max = Math.max(max, Math.abs(a[i][t][k] - b[i][t][k]));
                }
            }
        }
        return max;
    }

    static long[] flatten(long[][] rows) {
        int s = rows[0].length;
        long[] out = new long[rows.length * s];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * s, s);
        }
        return out;
    }
}
