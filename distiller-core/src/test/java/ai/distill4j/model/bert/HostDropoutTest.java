package ai.distill4j.model.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostDropoutTest {

    static NDManager root;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    @Test
    void maskHoldsZeroOrTheInverseKeepProbabilityInTheRightProportion() {
        try (NDManager m = root.newSubManager()) {
            int n = 1_000_003; // several chunks and an odd tail
            float[] mask = HostDropout.mask(m, new Shape(n), 0.1f, 42).toFloatArray();
            float keep = (float) (1.0 / 0.9);
            int dropped = 0;
            for (float v : mask) {
                assertTrue(v == 0f || v == keep, "mask value " + v);
                if (v == 0f) {
                    dropped++;
                }
            }
            double sigma = Math.sqrt(n * 0.1 * 0.9);
            assertEquals(0.1 * n, dropped, 4 * sigma, "dropped elements");
        }
    }

    @Test
    void theSameSeedDrawsTheSameMaskAndAnotherSeedAnother() {
        try (NDManager m = root.newSubManager()) {
            Shape s = new Shape(3, 70_000);
            float[] a = HostDropout.mask(m, s, 0.3f, 7).toFloatArray();
            float[] b = HostDropout.mask(m, s, 0.3f, 7).toFloatArray();
            float[] c = HostDropout.mask(m, s, 0.3f, 8).toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
        }
    }

    @Test
    void earlierMasksSurviveLaterDraws() {
        try (NDManager m = root.newSubManager()) {
            NDArray first = HostDropout.mask(m, new Shape(1000), 0.5f, 1);
            float[] before = first.toFloatArray();
            HostDropout.mask(m, new Shape(1000), 0.5f, 2);
            assertArrayEquals(before, first.toFloatArray(), "a mask must not alias the reused host buffer");
        }
    }

    @Test
    void dropoutScalesKeptValuesAndItsGradientIsTheMask() {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.randomUniform(1f, 2f, new Shape(64, 33));
            x.setRequiresGradient(true);
            float[] in = x.toFloatArray();
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = HostDropout.apply(x, 0.25f);
                gc.backward(y.sum());
            }
            float[] out = y.toFloatArray();
            float[] grad = x.getGradient().toFloatArray();
            float keep = (float) (1.0 / 0.75);
            for (int i = 0; i < in.length; i++) {
                if (out[i] == 0f) {
                    assertEquals(0f, grad[i]);
                } else {
                    assertEquals(in[i] * keep, out[i], 1e-6f);
                    assertEquals(keep, grad[i]);
                }
            }
        }
    }

    @Test
    void reseedingTheEngineRepeatsATrainingForward() {
        BertConfig config = BertModelTest.tinyConfig().toBuilder().hiddenDropoutProb(0.3)
                .attentionProbsDropoutProb(0.3).build();
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 5, params);
            float[][] logits = new float[3][];
            int[] seeds = {11, 11, 12};
            for (int i = 0; i < 3; i++) {
                try (NDManager step = params.newSubManager()) {
                    Engine.getInstance().setRandomSeed(seeds[i]);
                    logits[i] = model.forward(new ParameterStore(step, false), BertModelTest.inputs(step), true,
                            false).logits().toFloatArray();
                }
            }
            assertArrayEquals(logits[0], logits[1]);
            assertFalse(Arrays.equals(logits[0], logits[2]));
        }
    }

    @Test
    void ratesOutsideTheOpenIntervalAreRejected() {
        try (NDManager m = root.newSubManager()) {
            assertThrows(IllegalArgumentException.class, () -> HostDropout.mask(m, new Shape(4), 1f, 0));
            assertThrows(IllegalArgumentException.class, () -> HostDropout.mask(m, new Shape(4), 0f, 0));
        }
    }
}
