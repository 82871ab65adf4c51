package ai.distill4j.loss.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.loss.Arity;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import ai.distill4j.loss.testing.GradientCheck;
import ai.distill4j.loss.testing.RandomArrays;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Properties every feature loss shares, checked through the registry. */
class FeatureLossesTest {

    static final Map<String, Arity> NAMES = new TreeMap<>(Map.ofEntries(
            Map.entry("attention_mse", Arity.SINGLE),
            Map.entry("attention_mse_sum", Arity.SINGLE),
            Map.entry("attention_ce", Arity.SINGLE),
            Map.entry("attention_ce_mean", Arity.SINGLE),
            Map.entry("hidden_mse", Arity.SINGLE),
            Map.entry("cos", Arity.SINGLE),
            Map.entry("pkd", Arity.SINGLE),
            Map.entry("fsp", Arity.PAIR),
            Map.entry("gram", Arity.PAIR),
            Map.entry("mmd", Arity.PAIR),
            Map.entry("nst", Arity.PAIR)));

    private final LossRegistry registry = LossRegistry.withBuiltIns();
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private MatchLoss loss(String name) {
        return registry.match(name, LossArgs.EMPTY);
    }

    private static double value(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    @Test
    void theRegistryHoldsEveryFeatureLossWithItsArity() {
        for (Map.Entry<String, Arity> e : NAMES.entrySet()) {
            assertEquals(e.getValue(), loss(e.getKey()).arity(), e.getKey());
        }
        assertTrue(loss("gram") instanceof FspLoss && loss("nst") instanceof MmdLoss);
    }

    @Test
    void anUnknownNameIsRejectedWithTheKnownNames() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> registry.match("hidden_l1", LossArgs.EMPTY));
        for (String name : NAMES.keySet()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertTrue(e.getMessage().contains("'hidden_l1'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> registry.match("cos", LossArgs.of("margin", 0.1)));
        assertTrue(e.getMessage().contains("'margin'"), e.getMessage());
    }

    @Test
    void aWrongNumberOfLayersIsRejectedWithTheArity() {
        NDArray h = manager.zeros(new Shape(2, 3, 4));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> loss("hidden_mse").compute(List.of(h, h), List.of(h, h), null));
        assertTrue(e.getMessage().contains("'hidden_mse'") && e.getMessage().contains("single layer")
                && e.getMessage().contains("2 layer(s)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss("gram").compute(List.of(h), List.of(h), null));
        assertTrue(e.getMessage().contains("'gram'") && e.getMessage().contains("pair"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss("mmd").compute(List.of(h, h), List.of(h), null));
        assertTrue(e.getMessage().contains("2 student and 1 teacher"), e.getMessage());
    }

    @Test
    void everyLossHasTheFiniteDifferenceGradientWithAndWithoutMask() {
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 4, 3).toType(DataType.FLOAT64, false);
        for (String name : NAMES.keySet()) {
            MatchLoss loss = loss(name);
            List<NDArray> teacher = FeatureInputs.raw(name, manager, DataType.FLOAT64, 1, 4, 3);
            List<NDArray> student = FeatureInputs.raw(name, manager, DataType.FLOAT64, 2, 4, 3);
            for (NDArray m : new NDArray[] {null, mask}) {
                List<NDArray> t = FeatureInputs.masked(name, teacher, m, -1e4);
                List<NDArray> s = FeatureInputs.masked(name, student, m, -1e4);
                for (int k = 0; k < s.size(); k++) {
                    int layer = k;
                    GradientCheck.assertGradient(
                            manager, x -> loss.compute(replace(s, layer, x), t, m), s.get(layer), 40, 1e-6);
                }
            }
        }
    }

    private static List<NDArray> replace(List<NDArray> list, int index, NDArray x) {
        List<NDArray> out = new ArrayList<>(list);
        out.set(index, x);
        return out;
    }

    @Test
    void paddingWithAMaskLeavesEveryLossUnchangedAndFiniteWithFinfoMinScores() {
        NDArray shortMask = RandomArrays.rightPaddedMask(manager, 3, 3, 2);
        NDArray longMask = RandomArrays.rightPaddedMask(manager, 5, 3, 2);
        for (String name : NAMES.keySet()) {
            MatchLoss loss = loss(name);
            List<NDArray> longS = FeatureInputs.raw(name, manager, DataType.FLOAT32, 3, 5, 3);
            List<NDArray> longT = FeatureInputs.raw(name, manager, DataType.FLOAT32, 4, 5, 3);
            List<NDArray> shortS = new ArrayList<>();
            List<NDArray> shortT = new ArrayList<>();
            for (int k = 0; k < longS.size(); k++) {
                String crop = FeatureInputs.ATTENTION.contains(name) ? ":, :, :3, :3" : ":, :3, :";
                shortS.add(longS.get(k).get(crop));
                shortT.add(longT.get(k).get(crop));
            }
            double expected = value(loss.compute(
                    FeatureInputs.masked(name, shortS, shortMask, FeatureInputs.FINFO_MIN),
                    FeatureInputs.masked(name, shortT, shortMask, FeatureInputs.FINFO_MIN),
                    shortMask));
            List<NDArray> s = FeatureInputs.masked(name, longS, longMask, FeatureInputs.FINFO_MIN);
            for (NDArray x : s) {
                x.setRequiresGradient(true);
            }
            NDArray padded;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                padded = loss.compute(s, FeatureInputs.masked(name, longT, longMask, FeatureInputs.FINFO_MIN), longMask);
                gc.backward(padded);
            }
            assertTrue(Double.isFinite(expected), name + " is finite");
            assertEquals(expected, value(padded), 1e-5 * Math.max(1, Math.abs(expected)), name);
            for (NDArray x : s) {
                NDArray g = x.getGradient();
                assertEquals(0, value(g.isNaN().logicalOr(g.isInfinite()).sum()), 0, name + " has finite gradients");
            }
        }
    }

    @Test
    void theTeacherGetsNoGradientAndNothingLandsInItsManager() {
        try (NDManager teacherManager = NDManager.newBaseManager();
                NDManager step = manager.newSubManager()) {
            NDArray mask = RandomArrays.rightPaddedMask(step, 4, 4, 2);
            for (String name : NAMES.keySet()) {
                MatchLoss loss = loss(name);
                List<NDArray> teacher = FeatureInputs.raw(name, teacherManager, DataType.FLOAT32, 5, 4, 3);
                List<NDArray> student = FeatureInputs.raw(name, step, DataType.FLOAT32, 6, 4, 3);
                teacher.forEach(t -> t.setRequiresGradient(true));
                student.forEach(s -> s.setRequiresGradient(true));
                int before = teacherManager.getManagedArrays().size();
                NDArray value;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    value = loss.compute(student, teacher, mask);
                    gc.backward(value);
                }
                assertEquals(before, teacherManager.getManagedArrays().size(), name);
                assertEquals(step, value.getManager(), name);
                for (NDArray t : teacher) {
                    try (NDManager scratch = step.newSubManager()) {
                        NDArray g = t.getGradient();
                        g.attach(scratch);
                        assertEquals(0, value(g.abs().sum()), 0, name);
                    }
                }
                assertTrue(value(student.get(0).getGradient().abs().sum()) > 0, name);
            }
        }
    }

    @Test
    void everyLossIsAFloat32ScalarForFloat32Inputs() {
        for (String name : NAMES.keySet()) {
            NDArray v = loss(name).compute(
                    FeatureInputs.raw(name, manager, DataType.FLOAT32, 7, 4, 3),
                    FeatureInputs.raw(name, manager, DataType.FLOAT32, 8, 4, 3),
                    manager.ones(new Shape(2, 4), DataType.INT64));
            assertEquals(new Shape(), v.getShape(), name);
            assertEquals(DataType.FLOAT32, v.getDataType(), name);
        }
    }
}
