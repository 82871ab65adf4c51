package ai.distill4j.distill.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-place optimizers follow PyTorch's update rules; clipping follows clip_grad_norm_. */
class OptimizerTest {

    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Parameter param(String name, float... values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray a = manager.create(values);
        a.setRequiresGradient(true);
        p.setArray(a);
        return p;
    }

    /** Gives each parameter the gradient {@code g} by back-propagating {@code Σ g·w}. */
    private void gradient(Map<String, Parameter> params, float[]... grads) {
        try (NDManager step = manager.newSubManager();
                GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray total = null;
            int i = 0;
            for (Parameter p : params.values()) {
                NDArray term = step.create(grads[i++]).mul(p.getArray()).sum();
                total = total == null ? term : total.add(term);
            }
            c.backward(total);
        }
    }

    @Test
    void adamWMatchesTorchOnTwoSteps() {
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("w", param("w", 1f, -2f));
        try (AdamW opt = AdamW.of(manager, 0.1, 0.1)) {
            opt.addParameters(params);
            gradient(params, new float[] {4f, 0.5f});
            opt.step();
            // torch.optim.AdamW(lr=.1, weight_decay=.1): w=1, g=4 -> 0.89; w=-2, g=.5 -> -2*(0.99) - 0.1 = -2.08
            assertArrayEquals(new float[] {0.89f, -2.08f}, params.get("w").getArray().toFloatArray(), 1e-6f);
            gradient(params, new float[] {-1f, 0.5f});
            opt.step();
            // second step, computed with torch's formulas in float64
            double[] expected = {
                adamSecond(0.89, 4, -1), adamSecond(-2.08, 0.5, 0.5)
            };
            float[] got = params.get("w").getArray().toFloatArray();
            assertEquals(expected[0], got[0], 1e-6);
            assertEquals(expected[1], got[1], 1e-6);
            assertEquals(2, opt.stepCount());
        }
    }

    private static double adamSecond(double w, double g1, double g2) {
        double lr = 0.1;
        double wd = 0.1;
        double m = 0.1 * g1;
        double v = 0.001 * g1 * g1;
        w *= 1 - lr * wd;
        m = 0.9 * m + 0.1 * g2;
        v = 0.999 * v + 0.001 * g2 * g2;
        double bc1 = 1 - 0.81;
        double bc2 = 1 - 0.999 * 0.999;
        return w - lr / bc1 * m / (Math.sqrt(v) / Math.sqrt(bc2) + 1e-8);
    }

    @Test
    void weightDecaySkipsBiasesAndLayerNorm() {
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("encoder.layer.0.output.dense.weight", param("a", 1f));
        params.put("encoder.layer.0.output.dense.bias", param("b", 1f));
        params.put("encoder.layer.0.output.LayerNorm.weight", param("c", 1f));
        try (AdamW opt = AdamW.of(manager, 0.1, 0.5)) {
            opt.addParameters(params);
            assertEquals(List.of("encoder.layer.0.output.dense.weight"), opt.decayedParameters());
            gradient(params, new float[] {0f}, new float[] {0f}, new float[] {0f});
            opt.step();
            assertEquals(0.95f, params.get("encoder.layer.0.output.dense.weight").getArray().getFloat(), 1e-7f);
            assertEquals(1f, params.get("encoder.layer.0.output.dense.bias").getArray().getFloat());
            assertEquals(1f, params.get("encoder.layer.0.output.LayerNorm.weight").getArray().getFloat());
        }
    }

    @Test
    void sgdWithMomentumMatchesTorch() {
        Map<String, Parameter> params = Map.of("w", param("w", 1f));
        try (Sgd opt = new Sgd(manager, 0.1, 0, 0.9, n -> true)) {
            opt.addParameters(params);
            gradient(params, new float[] {2f});
            opt.step(); // b = 2, w = 1 - 0.2
            gradient(params, new float[] {1f});
            opt.step(); // b = 0.9*2 + 1 = 2.8, w = 0.8 - 0.28
            assertEquals(0.52f, params.get("w").getArray().getFloat(), 1e-6f);
        }
    }

    @Test
    void parameterGroupLearningRateOverridesTheDefault() {
        Map<String, Parameter> a = Map.of("student.w", param("w", 1f));
        Map<String, Parameter> b = Map.of("proj.0.weight", param("p", 1f));
        try (Sgd opt = Sgd.plain(manager, 0.1)) {
            opt.addParameters(a);
            opt.addParameters(b, new ParameterGroup(java.util.OptionalDouble.of(1.0), java.util.OptionalDouble.empty()));
            Map<String, Parameter> all = new LinkedHashMap<>(a);
            all.putAll(b);
            gradient(all, new float[] {1f}, new float[] {1f});
            opt.step();
            assertEquals(0.9f, a.get("student.w").getArray().getFloat(), 1e-7f);
            assertEquals(0f, b.get("proj.0.weight").getArray().getFloat(), 1e-7f);
        }
    }

    @Test
    void clippingScalesEveryGradientByTheGlobalNorm() {
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("a", param("a", 0f));
        params.put("b", param("b", 0f));
        gradient(params, new float[] {3f}, new float[] {4f});
        double norm = GradientClipping.clipGlobalNorm(params.values(), 1.0, manager);
        assertEquals(5.0, norm, 1e-6);
        try (Sgd opt = Sgd.plain(manager, 1.0)) {
            opt.addParameters(params);
            opt.step();
        }
        assertEquals(-0.6f, params.get("a").getArray().getFloat(), 1e-6f);
        assertEquals(-0.8f, params.get("b").getArray().getFloat(), 1e-6f);
    }

    @Test
    void clippingLeavesSmallGradientsAlone() {
        Map<String, Parameter> params = Map.of("a", param("a", 0f));
        gradient(params, new float[] {-0.5f});
        assertEquals(0.5, GradientClipping.clipGlobalNorm(params.values(), 1.0, manager), 1e-7);
        try (Sgd opt = Sgd.plain(manager, 1.0)) {
            opt.addParameters(params);
            opt.step();
        }
        assertEquals(0.5f, params.get("a").getArray().getFloat(), 0f);
    }

    @Test
    void linearScheduleIsHuggingFacesWarmupThenDecay() {
        LearningRateSchedule s = LearningRateSchedule.linearWithWarmup(2, 10);
        double[] expected = {0, 0.5, 1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0, 0};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], s.factor(k), 1e-12, "step " + k);
        }
        assertEquals(1.0, LearningRateSchedule.constant().factor(1000));
        assertEquals(0.25, LearningRateSchedule.constantWithWarmup(4).factor(1));
    }

    @Test
    void optimizerStateRoundTripsAndContinuesIdentically() {
        Map<String, Parameter> p1 = Map.of("w", param("w", 1f, 2f));
        Map<String, Parameter> p2 = Map.of("w", param("w", 1f, 2f));
        try (AdamW a = AdamW.of(manager, 0.05, 0.01); AdamW b = AdamW.of(manager, 0.05, 0.01)) {
            a.addParameters(p1);
            b.addParameters(p2);
            gradient(p1, new float[] {1f, -3f});
            a.step();
            gradient(p2, new float[] {1f, -3f});
            b.step();
            // b forgets its state, then loads a's
            b.loadState(a.stateArrays(), a.stepCount());
            gradient(p1, new float[] {0.5f, 0.25f});
            a.step();
            gradient(p2, new float[] {0.5f, 0.25f});
            b.step();
            assertArrayEquals(p1.get("w").getArray().toFloatArray(), p2.get("w").getArray().toFloatArray(), 0f);
            assertTrue(a.stateArrays().containsKey("w.exp_avg_sq"));
        }
    }
}
