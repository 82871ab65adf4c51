package ai.distill4j.examples.custom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.adapt.BertBatch;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvTextClassifierTest {

    private static final ConvTextConfig CONFIG = new ConvTextConfig(50, 8, 6, 3, 2, 0.0);

    @TempDir
    Path tmp;

    private static ConvDistillModel model(NDManager m, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        return new ConvDistillModel(new ConvTextClassifier(CONFIG).initialize(m));
    }

    @Test
    void paddingNeverChangesTheLogitsOrThePooledVector() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvDistillModel model = model(m, 1);
            ParameterStore ps = new ParameterStore(m, false);
            BertBatch tight = new BertBatch(new long[][] {{2, 7, 9, 3}}, new long[][] {{1, 1, 1, 1}}, null, null,
                    null);
            BertBatch padded = new BertBatch(new long[][] {{2, 7, 9, 3, 0, 0, 0}},
                    new long[][] {{1, 1, 1, 1, 0, 0, 0}}, null, null, null);
            try (NDManager step = m.newSubManager()) {
                ConvOutput a = model.forward(ps, tight, step, false);
                ConvOutput b = model.forward(ps, padded, step, false);
                assertArrayEquals(new long[] {1, 2}, a.logits().getShape().getShape());
                assertArrayEquals(new long[] {1, 6}, a.textVector().getShape().getShape());
                assertArrayEquals(a.logits().toFloatArray(), b.logits().toFloatArray(), 1e-6f);
                assertArrayEquals(a.textVector().toFloatArray(), b.textVector().toFloatArray(), 1e-6f);
                float[] v = a.textVector().toFloatArray();
                for (float x : v) {
                    assertTrue(x >= 0, "ReLU features are non-negative: " + x);
                }
            }
        }
    }

    @Test
    void theAdaptorExposesLogitsLabelsTheHardLossAndTheSentenceFeature() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvDistillModel model = model(m, 2);
            ParameterStore ps = new ParameterStore(m, false);
            BertBatch batch = new BertBatch(new long[][] {{2, 7, 3}, {2, 4, 0}}, new long[][] {{1, 1, 1}, {1, 1, 0}},
                    null, new long[] {1, 0}, null);
            try (NDManager step = m.newSubManager()) {
                ConvAdaptor adaptor = new ConvAdaptor(CONFIG);
                AdaptedOutput out = adaptor.adapt(batch, model.forward(ps, batch, step, false), step);
                assertEquals(1, out.logits().size());
                assertArrayEquals(new long[] {1, 0}, out.labels().get(0).toLongArray());
                assertEquals(1, out.losses().size());
                assertTrue(out.losses().get(0).getFloat() > 0);
                assertArrayEquals(new long[] {2, 6}, out.feature("sentence").get(0).getShape().getShape());
                assertEquals(Set.of("sentence"), adaptor.layout().keySet());
                assertEquals(6, adaptor.layout().get("sentence").width());
            }
        }
    }

    @Test
    void savedWeightsRestoreIntoAnotherModel() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvDistillModel a = model(m, 3);
            ConvDistillModel b = model(m, 4);
            a.save(tmp.resolve("saved"));
            assertEquals(CONFIG, ConvTextConfig.read(tmp.resolve("saved").resolve(ConvTextConfig.FILE)));
            b.restore(tmp.resolve("saved"));
            for (String name : a.parameters().keySet()) {
                assertArrayEquals(a.parameters().get(name).getArray().toFloatArray(),
                        b.parameters().get(name).getArray().toFloatArray(), name);
            }
            assertEquals(5, a.parameters().size(), a.parameters().keySet().toString());
        }
    }

    @Test
    void badHyperParametersAreRefusedWithTheFieldName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvTextConfig(50, 8, 6, 4, 2, 0.0));
        assertTrue(e.getMessage().startsWith("kernel = 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConvTextConfig(50, 8, 6, 3, 1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new ConvTextConfig(50, 8, 6, 3, 2, 1.0));
    }
}
