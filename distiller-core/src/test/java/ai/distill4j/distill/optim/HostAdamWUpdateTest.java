package ai.distill4j.distill.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one-pass host AdamW gives the NDArray form's moments bit for bit and its weights to the last unit of
 * rounding (its square root is the correctly rounded one), and clears the gradient.
 */
class HostAdamWUpdateTest {

    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static float[] random(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    private Parameter param(String name, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray a = manager.create(values);
        p.setArray(a);
        return p;
    }

    @Test
    void hostUpdateMatchesTheNdArrayFormOverSeveralSteps() {
        int n = 3 * HostAdamWUpdate.CHUNK + 123; // several parallel chunks and a ragged tail
        Random r = new Random(7);
        float[] w0 = random(r, n, 0.05);
        for (double wd : new double[] {0.01, 0.0}) {
            Parameter host = param("w", w0);
            Parameter ref = param("w", w0);
            try (AdamW a = AdamW.of(manager, 1e-3, wd); AdamW b = AdamW.of(manager, 1e-3, wd)) {
                InPlaceOptimizer.Slot hs = new InPlaceOptimizer.Slot("w", host, 1e-3, wd);
                InPlaceOptimizer.Slot rs = new InPlaceOptimizer.Slot("w", ref, 1e-3, wd);
                for (int t = 1; t <= 4; t++) {
                    float[] grad = random(r, n, t == 2 ? 1e-6 : 3.0); // tiny and large gradients
                    float scale = t == 3 ? 0.37f : 1f;
                    grad[5] = 0f;
                    host.getArray().copyTo(ref.getArray()); // compare one step's rounding, not an accumulation
                    try (NDManager tmp = manager.newSubManager()) {
                        NDArray hg = tmp.create(grad);
                        NDArray rg = tmp.create(grad);
                        assertTrue(a.applyAndClear(hs, host.getArray(), hg, scale, 1e-3, t, tmp));
                        b.apply(rs, ref.getArray(), rg.muli(scale), 1e-3, t, tmp); // as clipping would
                        assertArrayEquals(new float[n], hg.toFloatArray(), "gradient cleared, step " + t);
                    }
                    assertBitsEqual(b.stateArrays().get("w.exp_avg"), a.stateArrays().get("w.exp_avg"), "exp_avg");
                    assertBitsEqual(b.stateArrays().get("w.exp_avg_sq"), a.stateArrays().get("w.exp_avg_sq"),
                            "exp_avg_sq");
                    assertWithinUlps(ref.getArray(), host.getArray(), "weights, wd " + wd + ", step " + t);
                }
                assertFalse(ref.getArray().contentEquals(manager.create(w0)), "the weights moved");
            }
        }
    }

    @Test
    void aTransposedViewIsNotUpdatedOnTheHost() {
        NDArray base = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        assertTrue(HostAdamWUpdate.aliases(base));
        assertFalse(HostAdamWUpdate.aliases(base.transpose()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, base.toFloatArray(), "the probe restores the element");
    }

    @Test
    void aNonContiguousParameterStillGetsTheExactUpdate() {
        Random r = new Random(3);
        float[] w0 = random(r, 6, 1);
        float[] grad = random(r, 6, 1);
        Parameter view = Parameter.builder().setName("v").setType(Parameter.Type.WEIGHT).build();
        view.setArray(manager.create(w0, new Shape(3, 2)).transpose()); // (2, 3), not contiguous
        Parameter plain = Parameter.builder().setName("v").setType(Parameter.Type.WEIGHT).build();
        plain.setArray(manager.create(w0, new Shape(3, 2)).transpose().toDense().duplicate());
        try (AdamW a = AdamW.of(manager, 0.1, 0.1); AdamW b = AdamW.of(manager, 0.1, 0.1);
                NDManager tmp = manager.newSubManager()) {
            NDArray g = tmp.create(grad, new Shape(2, 3));
            assertFalse(a.applyAndClear(new InPlaceOptimizer.Slot("v", view, 0.1, 0.1), view.getArray(), g,
                    1f, 0.1, 1, tmp), "falls back to the NDArray form");
            b.apply(new InPlaceOptimizer.Slot("v", plain, 0.1, 0.1), plain.getArray(), g, 0.1, 1, tmp);
            assertArrayEquals(plain.getArray().toFloatArray(), view.getArray().toFloatArray(), 0f);
            assertFalse(view.getArray().contentEquals(manager.create(w0, new Shape(3, 2)).transpose()));
        }
    }

    /**
     * Within 4 units in the last place of the larger of the weight and the step's update (the update inherits the
     * square root's rounding).
     */
    private static void assertWithinUlps(NDArray expected, NDArray actual, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        int identical = 0;
        for (int i = 0; i < e.length; i++) {
            float tolerance = 4 * Math.ulp(Math.max(Math.abs(e[i]), 1e-3f));
            if (!(Math.abs(e[i] - a[i]) <= tolerance)) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
            identical += e[i] == a[i] ? 1 : 0;
        }
        assertTrue(identical > e.length / 2, what + ": only " + identical + " of " + e.length + " identical");
    }

    private static void assertBitsEqual(NDArray expected, NDArray actual, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }
}
