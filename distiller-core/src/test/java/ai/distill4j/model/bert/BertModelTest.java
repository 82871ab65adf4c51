package ai.distill4j.model.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BertModelTest {

    static final long[][] IDS = {{2, 17, 33, 5, 49, 8}, {2, 11, 4, 0, 0, 0}, {2, 40, 41, 42, 3, 0}};
    static final long[][] MASK = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 0}};
    static final long[][] TYPES = {{0, 0, 0, 1, 1, 1}, {0, 0, 0, 0, 0, 0}, {0, 0, 1, 1, 1, 0}};

    static NDManager root;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    static BertConfig tinyConfig() {
        return BertConfig.builder().vocabSize(50).hiddenSize(16).numHiddenLayers(2).numAttentionHeads(4)
                .intermediateSize(32).maxPositionEmbeddings(16).typeVocabSize(2).numLabels(3)
                .initializerRange(0.5).build();
    }

    static Map<String, float[]> weights(BertModel model) {
        Map<String, float[]> w = new HashMap<>();
        for (Map.Entry<String, Parameter> en : model.namedParameters().entrySet()) {
            w.put(en.getKey(), en.getValue().getArray().toFloatArray());
        }
        return w;
    }

    static BertInputs inputs(NDManager m) {
        return new BertInputs(m.create(IDS), m.create(MASK), m.create(TYPES));
    }

    @Test
    void everyHiddenStateAndAttentionMatchesThePlainJavaFormulas() {
        BertConfig config = tinyConfig();
        try (NDManager params = root.newSubManager()) {
            // A large initializer range makes the attention far from uniform and the activations far from zero.
            BertModel model = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 7, params);
            ReferenceBert.Result ref = new ReferenceBert(config, weights(model))
                    .forward(IDS, MASK, TYPES, true);
            try (NDManager step = params.newSubManager()) {
                BertOutput out = model.forward(new ParameterStore(step, false), inputs(step), false, true);
                assertEquals(3, out.hiddenStates().size());
                assertEquals(2, out.attentionProbs().size());
                for (int l = 0; l <= 2; l++) {
                    NDArray hs = out.hiddenStates().get(l);
                    assertEquals(new Shape(3, 6, 16), hs.getShape());
                    assertClose(flatten(ref.hidden().get(l)), hs.toFloatArray(), 1e-5, "hidden state " + l);
                }
                for (int l = 0; l < 2; l++) {
                    assertEquals(new Shape(3, 4, 6, 6), out.attentionProbs().get(l).getShape());
                    assertClose(flatten(ref.probs().get(l)), out.attentionProbs().get(l).toFloatArray(), 1e-5,
                            "attention probs " + l);
                    assertClose(flatten(ref.scores().get(l)), out.attentionScores().get(l).toFloatArray(), 1e-5,
                            "attention scores " + l);
                    assertEquals(new Shape(3, 4, 6, 4), out.queries().get(l).getShape());
                    assertEquals(new Shape(3, 4, 6, 4), out.keys().get(l).getShape());
                    assertEquals(new Shape(3, 4, 6, 4), out.values().get(l).getShape());
                }
                assertClose(flatten(ref.pooled()), out.pooledOutput().toFloatArray(), 1e-5, "pooled");
                assertClose(flatten(ref.logits()), out.logits().toFloatArray(), 1e-5, "logits");
                assertEquals(new Shape(3, 3), out.logits().getShape());
                // Padded keys get exactly zero probability.
                float[] p = out.attentionProbs().get(0).toFloatArray();
                for (int q = 0; q < 6; q++) {
                    for (int k = 3; k < 6; k++) {
                        assertEquals(0f, p[((1 * 4) * 6 + q) * 6 + k], "row 1 query " + q + " key " + k);
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(tinyConfig().toBuilder().hiddenDropoutProb(0).attentionProbsDropoutProb(0)
                    .build(), BertHead.SEQUENCE_CLASSIFICATION, 13, params);
            String[] names = {"embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                "encoder.layer.0.attention.self.query.weight", "encoder.layer.0.attention.self.key.bias",
                "encoder.layer.0.attention.output.LayerNorm.weight", "encoder.layer.1.intermediate.dense.weight",
                "pooler.dense.weight", "classifier.weight"};
            int[] entries = {17 * 16 + 3, 2 * 16 + 5, 7, 9, 4, 40, 33, 20};
            float[] analytic = new float[names.length];
            try (NDManager step = params.newSubManager();
                    ai.djl.training.GradientCollector gc =
                            ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                gc.backward(loss(model, step, true));
            }
            for (int i = 0; i < names.length; i++) {
                try (NDManager g = params.newSubManager()) {
                    NDArray grad = model.namedParameters().get(names[i]).getArray().getGradient();
                    grad.attach(g);
                    analytic[i] = grad.toFloatArray()[entries[i]];
                }
            }
            float h = 1e-2f;
            for (int i = 0; i < names.length; i++) {
                NDArray w = model.namedParameters().get(names[i]).getArray();
                float[] v = w.toFloatArray();
                float orig = v[entries[i]];
                v[entries[i]] = orig + h;
                w.set(v);
                double plus = lossValue(model, params);
                v[entries[i]] = orig - h;
                w.set(v);
                double minus = lossValue(model, params);
                v[entries[i]] = orig;
                w.set(v);
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, analytic[i], 2e-3 + 2e-2 * Math.abs(numeric), names[i] + "[" + entries[i] + "]");
            }
        }
    }

    private static double lossValue(BertModel model, NDManager params) {
        try (NDManager step = params.newSubManager()) {
            return loss(model, step, false).getFloat();
        }
    }

    /** A scalar touching logits, a hidden state and an attention map; training=true with zero dropout. */
    private static NDArray loss(BertModel model, NDManager step, boolean training) {
        BertOutput out = model.forward(new ParameterStore(step, false), inputs(step), training, false);
        NDArray weights = step.create(new float[] {0.7f, -1.3f, 0.4f});
        return out.logits().mul(weights).sum()
                .add(out.hiddenStates().get(1).square().mean().mul(3f))
                .add(out.attentionProbs().get(1).get(new ai.djl.ndarray.index.NDIndex(":, :, 0, 1")).sum());
    }

    @Test
    void attentionMaskUsesTheFloat32MinimumNotInfinity() {
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(tinyConfig(), BertHead.NONE, 1, params);
            try (NDManager step = params.newSubManager()) {
                BertOutput out = model.forward(new ParameterStore(step, false), inputs(step), false, false);
                float[] scores = out.attentionScores().get(1).toFloatArray();
                // row 1, head 0, query 0, key 4 is padding
                float masked = scores[0 * 0 + (1 * 4 * 6 * 6) + 4];
                assertTrue(Float.isFinite(masked), "masked score must be finite, got " + masked);
                assertTrue(masked < -3.0e38f, "masked score must be near finfo.min, got " + masked);
                assertTrue(out.queries().isEmpty() && out.keys().isEmpty() && out.values().isEmpty());
                assertNull(out.pooledOutput());
                assertNull(out.logits());
            }
        }
    }

    @Test
    void outputsLiveInTheInputManagerAndParametersStayPut() {
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(tinyConfig(), BertHead.SEQUENCE_CLASSIFICATION, 3, params);
            int before = params.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                try (NDManager step = params.newSubManager()) {
                    BertOutput out = model.forward(new ParameterStore(step, false), inputs(step), true, true);
                    assertEquals(step, out.logits().getManager());
                    assertEquals(step, out.hiddenStates().get(2).getManager());
                }
                // only the closed step manager came and went
                assertEquals(before, params.getManagedArrays().size(), "arrays leaked into the parameter manager");
            }
        }
    }

    @Test
    void missingTokenTypesAndMaskMeanZerosAndOnes() {
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(tinyConfig(), BertHead.NONE, 5, params);
            try (NDManager step = params.newSubManager()) {
                NDArray ids = step.create(new long[][] {{2, 17, 33, 5}});
                ParameterStore ps = new ParameterStore(step, false);
                BertOutput implicit = model.forward(ps, new BertInputs(ids, null, null), false, false);
                BertOutput explicit = model.forward(ps, new BertInputs(ids, step.ones(new Shape(1, 4),
                        DataType.INT64), step.zeros(new Shape(1, 4), DataType.INT64)), false, false);
                assertArrayEquals(explicit.lastHiddenState().toFloatArray(),
                        implicit.lastHiddenState().toFloatArray());
            }
        }
    }

    @Test
    void dropoutOnlyActsInTrainingMode() {
        BertConfig config = tinyConfig().toBuilder().hiddenDropoutProb(0.3).attentionProbsDropoutProb(0.3).build();
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 5, params);
            try (NDManager step = params.newSubManager()) {
                ParameterStore ps = new ParameterStore(step, false);
                float[] eval1 = model.forward(ps, inputs(step), false, false).logits().toFloatArray();
                float[] eval2 = model.forward(ps, inputs(step), false, false).logits().toFloatArray();
                float[] train = model.forward(ps, inputs(step), true, false).logits().toFloatArray();
                assertArrayEquals(eval1, eval2);
                assertFalse(java.util.Arrays.equals(eval1, train), "training forward should apply dropout");
            }
        }
    }

    @Test
    void actsAsAPlainDjlBlock() {
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(tinyConfig(), BertHead.TOKEN_CLASSIFICATION, 9, params);
            try (NDManager step = params.newSubManager()) {
                NDList out = model.forward(new ParameterStore(step, false),
                        new NDList(step.create(IDS), step.create(MASK)), false);
                assertEquals(2, out.size());
                assertEquals(new Shape(3, 6, 16), out.get(0).getShape());
                assertEquals(new Shape(3, 6, 3), out.get(1).getShape());
                assertArrayEquals(new Shape[] {new Shape(3, 6, 16), new Shape(3, 6, 3)},
                        model.getOutputShapes(new Shape[] {new Shape(3, 6)}));
            }
        }
    }

    @Test
    void parametersCarryHuggingFaceNamesAndShapes() {
        BertModel model = new BertModel(tinyConfig(), BertHead.SEQUENCE_CLASSIFICATION);
        List<String> names = List.copyOf(model.namedParameters().keySet());
        assertEquals("embeddings.word_embeddings.weight", names.get(0));
        assertEquals(5 + 2 * 16 + 4, names.size());
        assertTrue(names.contains("encoder.layer.1.attention.self.query.weight"));
        assertTrue(names.contains("encoder.layer.0.output.LayerNorm.bias"));
        assertEquals("classifier.bias", names.get(names.size() - 1));
        assertEquals(new Shape(32, 16), model.namedParameters().get("encoder.layer.0.intermediate.dense.weight")
                .getShape());
        assertEquals(new Shape(3, 16), model.namedParameters().get("classifier.weight").getShape());
        assertEquals(names, List.copyOf(model.getParameters().keys()));
    }

    @Test
    void forwardBeforeInitialisationIsAClearError() {
        BertModel model = new BertModel(tinyConfig(), BertHead.NONE);
        try (NDManager step = root.newSubManager()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> model.forward(new ParameterStore(step, false), inputs(step), true, false));
            assertTrue(e.getMessage().contains("initialize"), e.getMessage());
        }
    }

    static float[] flatten(Object nested) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        collect(nested, out);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    private static void collect(Object o, java.util.List<Float> out) {
        if (o instanceof double[] d) {
            for (double v : d) {
                out.add((float) v);
            }
        } else {
            for (Object e : (Object[]) o) {
                collect(e, out);
            }
        }
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) expected[i] - actual[i]);
            double allowed = tol + 1e-6 * Math.abs(expected[i]);
            if (!(diff <= allowed)) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " got " + actual[i]
                        + " (|diff| " + diff + ")");
            }
        }
    }
}
