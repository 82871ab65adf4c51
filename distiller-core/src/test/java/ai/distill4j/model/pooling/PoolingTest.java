package ai.distill4j.model.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PoolingTest {

    static NDManager root;

    /** Two rows of three tokens, width 2; row 0 has its last token padded (and filled with 100s). */
    static final float[] TOKENS = {
        -1, -5, /**/ -3, 2, /**/ 100, 100,
        5, 6, /**/ 7, 8, /**/ 9, -10};

    static final long[] MASK = {1, 1, 0, 1, 1, 1};

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    static float[] pool(Pooling pooling) {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.create(TOKENS, new Shape(2, 3, 2));
            NDArray mask = m.create(MASK, new Shape(2, 3));
            NDArray v = pooling.apply(x, mask);
            assertEquals(new Shape(2, 2), v.getShape());
            return v.toFloatArray();
        }
    }

    @Test
    void meanPoolingAveragesOnlyTheValidTokens() {
        assertArrayEquals(new float[] {-2, -1.5f, 7, 4f / 3}, pool(Pooling.mean()), 1e-6f);
    }

    @Test
    void clsPoolingTakesTheFirstToken() {
        assertArrayEquals(new float[] {-1, -5, 5, 6}, pool(Pooling.of(PoolingMode.CLS)), 0f);
    }

    @Test
    void maxPoolingIgnoresPaddingEvenWhenItHoldsTheLargestValues() {
        assertArrayEquals(new float[] {-1, 2, 9, 8}, pool(Pooling.of(PoolingMode.MAX)), 0f);
    }

    @Test
    void meanSqrtLenDividesTheSumByTheRootOfTheTokenCount() {
        float r2 = (float) Math.sqrt(2);
        float r3 = (float) Math.sqrt(3);
        assertArrayEquals(new float[] {-4 / r2, -3 / r2, 21 / r3, 4 / r3},
                pool(Pooling.of(PoolingMode.MEAN_SQRT_LEN)), 1e-5f);
    }

    @Test
    void normalisationScalesEveryRowToUnitLength() {
        float[] v = pool(Pooling.mean().normalized());
        double n0 = Math.hypot(-2, -1.5);
        double n1 = Math.hypot(7, 4.0 / 3);
        assertArrayEquals(new float[] {(float) (-2 / n0), (float) (-1.5 / n0), (float) (7 / n1),
            (float) (4.0 / 3 / n1)}, v, 1e-6f);
        assertEquals(1.0, Math.hypot(v[0], v[1]), 1e-6);
    }

    @Test
    void aRowWithoutValidTokensPoolsLikeSentenceTransformers() {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 2));
            NDArray none = m.create(new long[] {0, 0}, new Shape(1, 2));
            assertArrayEquals(new float[] {0, 0}, PoolingMode.MEAN.pool(x, none).toFloatArray(), 0f,
                    "sum 0 / clamp(0, 1e-9)");
            assertArrayEquals(new float[] {-1e9f, -1e9f}, PoolingMode.MAX.pool(x, none).toFloatArray(), 0f);
            assertArrayEquals(new float[] {0, 0},
                    Pooling.mean().normalized().apply(x, none).toFloatArray(), 0f, "a zero vector stays zero");
        }
    }

    @Test
    void meanPoolingPassesGradientsOnlyToValidTokens() {
        try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = m.create(TOKENS, new Shape(2, 3, 2));
            x.setRequiresGradient(true);
            NDArray v = PoolingMode.MEAN.pool(x, m.create(MASK, new Shape(2, 3)));
            gc.backward(v.sum());
            float h = 0.5f;
            float t = 1f / 3;
            assertArrayEquals(new float[] {h, h, h, h, 0, 0, t, t, t, t, t, t}, x.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void maxPoolingPassesGradientsToTheMaximumOnly() {
        try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = m.create(TOKENS, new Shape(2, 3, 2));
            x.setRequiresGradient(true);
            NDArray v = PoolingMode.MAX.pool(x, m.create(MASK, new Shape(2, 3)));
            gc.backward(v.sum());
            assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0}, x.getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void poolingAcceptsAFloatMask() {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.create(TOKENS, new Shape(2, 3, 2));
            NDArray mask = m.create(new float[] {1, 1, 0, 1, 1, 1}, new Shape(2, 3));
            assertArrayEquals(pool(Pooling.mean()), PoolingMode.MEAN.pool(x, mask).toFloatArray(), 0f);
        }
    }

    @Test
    void poolingRejectsAMaskOfTheWrongShape() {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.create(TOKENS, new Shape(2, 3, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PoolingMode.MEAN.pool(x, m.create(new long[] {1, 1, 1, 1}, new Shape(2, 2))));
            assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(2, 2)"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> PoolingMode.CLS.pool(m.create(new float[] {1, 2}, new Shape(1, 2)), m.ones(new Shape(1, 2))));
        }
    }

    @Test
    void poolingParsesItsOwnTextAndSentenceTransformersNames() {
        assertEquals(Pooling.mean().normalized(), Pooling.parse("mean+normalize"));
        assertEquals(Pooling.of(PoolingMode.MEAN_SQRT_LEN), Pooling.parse("mean_sqrt_len_tokens"));
        assertEquals(Pooling.of(PoolingMode.CLS), Pooling.parse("CLS"));
        for (PoolingMode mode : PoolingMode.values()) {
            for (boolean norm : new boolean[] {false, true}) {
                Pooling p = new Pooling(mode, norm);
                assertEquals(p, Pooling.parse(p.toString()));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pooling.parse("avg"));
        assertTrue(e.getMessage().contains("'avg'") && e.getMessage().contains("mean"), e.getMessage());
    }
}
