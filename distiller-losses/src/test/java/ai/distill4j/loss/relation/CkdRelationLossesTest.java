package ai.distill4j.loss.relation;

import static ai.distill4j.loss.relation.TestTensors.layers;
import static ai.distill4j.loss.relation.TestTensors.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reference values, invariances, padding and gradient flow of the four CKD relation losses. */
class CkdRelationLossesTest {

    private static final LossRegistry REGISTRY = LossRegistry.withBuiltIns();

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** The CKD losses with their settings, one per term (the window-angle one at the published window). */
    private static Map<String, MatchLoss> allTerms() {
        return Map.of(
                "wr_dist", REGISTRY.match("wr_dist", LossArgs.EMPTY),
                "wr_angle", REGISTRY.match("wr_angle", LossArgs.EMPTY),
                "wr_angle w3", REGISTRY.match("wr_angle", LossArgs.of("window", 3)),
                "ltr_dist", REGISTRY.match("ltr_dist", LossArgs.EMPTY),
                "ltr_angle", REGISTRY.match("ltr_angle", LossArgs.EMPTY));
    }

    /** kd-losses.md section 4: B=2, K+1=3, T=5, d_T=4, d_S=3. */
    private NDArray referenceTeacher(DataType type) {
        return TestTensors.of(
                manager, type, i -> Math.sin(0.1 + 0.9 * i[0] + 0.5 * i[1] + 0.37 * i[2] * (i[3] + 1) + 0.23 * i[3]),
                2, 3, 5, 4);
    }

    private NDArray referenceStudent(DataType type) {
        return TestTensors.of(
                manager, type, i -> Math.cos(0.2 + 0.9 * i[0] + 0.5 * i[1] + 0.37 * i[2] * (i[3] + 1) + 0.23 * i[3]),
                2, 3, 5, 3);
    }

    @Test
    void referenceVectorsOfTheOfficialCodeAreReproducedInFloat64AndFloat32() {
        Object[][] expected = {
            {"wr_dist", LossArgs.EMPTY, 0.012124725146723598},
            {"ltr_dist", LossArgs.EMPTY, 0.007885789041155963},
            {"ltr_angle", LossArgs.EMPTY, 0.0033754614475342178},
            {"wr_angle", LossArgs.of("window", 1), 0.0},
            {"wr_angle", LossArgs.of("window", 3), 0.04489311448982242},
            {"wr_angle", LossArgs.of("window", 5), 0.07075666056353093},
            {"wr_angle", LossArgs.of("window", 21), 0.05968983533339318},
        };
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            NDArray t = referenceTeacher(type);
            NDArray s = referenceStudent(type);
            NDArray mask = TestTensors.mask(manager, 5, 5, 3);
            for (Object[] e : expected) {
                MatchLoss loss = REGISTRY.match((String) e[0], (LossArgs) e[1]);
                double got = value(loss.compute(layers(s), layers(t), mask));
                double want = (double) e[2];
                double tolerance = type == DataType.FLOAT64 ? 1e-13 : 1e-6;
                assertEquals(want, got, tolerance * Math.max(1, Math.abs(want)) + (want == 0 ? 1e-9 : 0),
                        e[0] + " " + e[1] + " " + type);
            }
        }
    }

    @Test
    void everyTermIsZeroWhenTheStudentEqualsTheTeacher() {
        NDArray h = TestTensors.normal(manager, 1, 3, 4, 9, 6);
        NDArray mask = TestTensors.mask(manager, 9, 9, 5, 1);
        allTerms().forEach((name, loss) -> assertEquals(0, value(loss.compute(layers(h), layers(h), mask)), 1e-12, name));
    }

    @Test
    void everyTermIsZeroWhenTheStudentIsAnIsometricEmbeddingOfTheTeacherInAWiderSpace() {
        NDArray t = TestTensors.normal(manager, 2, 2, 3, 7, 4);
        // Q = first 4 columns of the Householder reflection I - 2 v v^T / |v|^2 in 6 dimensions: Q^T Q = I
        double[] v = {0.3, -1.2, 0.5, 0.8, -0.4, 1.1};
        double vv = 0;
        for (double x : v) {
            vv += x * x;
        }
        double norm = vv;
        NDArray q = TestTensors.of(manager, DataType.FLOAT64, i -> (i[0] == i[1] ? 1 : 0) - 2 * v[i[0]] * v[i[1]] / norm, 6, 6)
                .get(new NDIndex(":, 0:4"));
        NDArray s = t.matMul(q.transpose()); // (2, 3, 7, 6)
        NDArray mask = TestTensors.mask(manager, 7, 7, 4);
        allTerms().forEach((name, loss) -> assertEquals(0, value(loss.compute(layers(s), layers(t), mask)), 1e-12, name));
    }

    @Test
    void scalingTheStudentLeavesEveryTermUnchanged() {
        NDArray s = TestTensors.normal(manager, 3, 2, 3, 8, 5);
        NDArray t = TestTensors.normal(manager, 4, 2, 3, 8, 7);
        NDArray mask = TestTensors.mask(manager, 8, 8, 6);
        allTerms().forEach((name, loss) -> {
            double plain = value(loss.compute(layers(s), layers(t), mask));
            double scaled = value(loss.compute(layers(s.mul(3.7)), layers(t), mask));
            assertTrue(plain > 1e-3, name + " should be clearly positive here, got " + plain);
            assertEquals(plain, scaled, 1e-12 * plain, name);
        });
    }

    @Test
    void angleTermsIgnoreAShiftOfTheStudentButPairTermsDoNot() {
        NDArray t = TestTensors.normal(manager, 5, 2, 3, 6, 4);
        NDArray shift = TestTensors.of(manager, DataType.FLOAT64, i -> 0.7 - 0.3 * i[0], 4);
        NDArray s = t.mul(2).add(shift);
        NDArray mask = TestTensors.mask(manager, 6, 6, 4);
        allTerms().forEach((name, loss) -> {
            double got = value(loss.compute(layers(s), layers(t), mask));
            if (name.contains("angle")) {
                assertEquals(0, got, 1e-12, name);
            } else {
                assertTrue(got > 1e-4, name + " is cosine based and must see the shift, got " + got);
            }
        });
    }

    @Test
    void appendingPaddingLeavesTheLossUnchanged() {
        NDArray s = TestTensors.normal(manager, 6, 2, 3, 6, 4);
        NDArray t = TestTensors.normal(manager, 7, 2, 3, 6, 5);
        NDArray mask = TestTensors.mask(manager, 6, 6, 4);
        NDArray sLong = s.concat(TestTensors.normal(manager, 8, 2, 3, 3, 4), 2);
        NDArray tLong = t.concat(TestTensors.normal(manager, 9, 2, 3, 3, 5), 2);
        NDArray maskLong = TestTensors.mask(manager, 9, 6, 4);
        Map<String, MatchLoss> losses = Map.of(
                "wr_dist", REGISTRY.match("wr_dist", LossArgs.EMPTY),
                "ltr_dist", REGISTRY.match("ltr_dist", LossArgs.EMPTY),
                "ltr_angle", REGISTRY.match("ltr_angle", LossArgs.EMPTY),
                "wr_angle real", REGISTRY.match("wr_angle", LossArgs.of("window", 5, "neighbours", "real")));
        losses.forEach((name, loss) -> {
            double shortValue = value(loss.compute(layers(s), layers(t), mask));
            double longValue = value(loss.compute(layers(sLong), layers(tLong), maskLong));
            assertEquals(shortValue, longValue, 1e-12, name);
        });
        // the official neighbour rule lets padding inside a window count, so the value moves
        MatchLoss clamped = REGISTRY.match("wr_angle", LossArgs.of("window", 5));
        double before = value(clamped.compute(layers(s), layers(t), mask));
        double after = value(clamped.compute(layers(sLong), layers(tLong), maskLong));
        assertTrue(Math.abs(before - after) > 1e-6, "clamped neighbours include padding: " + before + " vs " + after);
    }

    @Test
    void realNeighboursEqualClampedNeighboursWithoutPadding() {
        NDArray s = TestTensors.normal(manager, 10, 2, 2, 7, 4);
        NDArray t = TestTensors.normal(manager, 11, 2, 2, 7, 3);
        double clamped = value(new WordRelationAngle(5, WordRelationAngle.Neighbours.CLAMPED)
                .compute(s, t, null));
        double real = value(new WordRelationAngle(5, WordRelationAngle.Neighbours.REAL).compute(s, t, null));
        assertEquals(clamped, real, 1e-14);
    }

    @Test
    void paddedBatchesGiveFiniteLossesAndGradients() {
        // example 0 full, example 1 a single real token, example 2 only padding
        NDArray mask = TestTensors.mask(manager, 6, 6, 1, 0).toType(DataType.FLOAT32, false);
        NDArray allPadding = TestTensors.mask(manager, 6, 0, 0, 0).toType(DataType.FLOAT32, false);
        allTerms().forEach((name, loss) -> {
            for (NDArray m : new NDArray[] {mask, allPadding}) {
                NDArray s = TestTensors.normal(manager, 12, 3, 3, 6, 4).toType(DataType.FLOAT32, false);
                NDArray t = TestTensors.normal(manager, 13, 3, 3, 6, 5).toType(DataType.FLOAT32, false);
                s.setRequiresGradient(true);
                double got;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss.compute(layers(s), layers(t), m);
                    gc.backward(l);
                    got = value(l);
                }
                assertTrue(Double.isFinite(got), name + " gave " + got);
                float[] g = s.getGradient().toFloatArray();
                for (float x : g) {
                    assertTrue(Float.isFinite(x), name + " gave a non-finite gradient");
                }
                if (m == allPadding) {
                    assertEquals(0, got, 0, name + " on an all-padding batch");
                }
            }
        });
    }

    @Test
    void theTeacherGetsNoGradientAndTheStudentDoes() {
        NDArray mask = TestTensors.mask(manager, 7, 7, 5);
        allTerms().forEach((name, loss) -> {
            NDArray s = TestTensors.normal(manager, 14, 2, 3, 7, 4);
            NDArray t = TestTensors.normal(manager, 15, 2, 3, 7, 5);
            List<NDArray> teacher = layers(t);
            for (NDArray x : teacher) {
                x.setRequiresGradient(true);
            }
            s.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.compute(layers(s), teacher, mask));
            }
            assertTrue(value(s.getGradient().abs().sum()) > 0, name + ": the student must get a gradient");
            for (NDArray x : teacher) {
                assertEquals(0, value(x.getGradient().abs().sum()), 0, name + ": the teacher must get none");
            }
        });
    }

    @Test
    void layerRelationsRejectASingleLayerAndEveryRelationRejectsUnequalLayerCounts() {
        NDArray a = TestTensors.normal(manager, 16, 2, 5, 4);
        NDArray b = TestTensors.normal(manager, 17, 2, 5, 4);
        for (String name : List.of("ltr_dist", "ltr_angle")) {
            MatchLoss loss = REGISTRY.match(name, LossArgs.EMPTY);
            IllegalArgumentException one =
                    assertThrows(IllegalArgumentException.class, () -> loss.compute(List.of(a), List.of(b), null));
            assertTrue(one.getMessage().contains("two or more aligned layers"), one.getMessage());
        }
        for (String name : List.of("wr_dist", "wr_angle", "ltr_dist", "ltr_angle")) {
            MatchLoss loss = REGISTRY.match(name, LossArgs.EMPTY);
            IllegalArgumentException unequal =
                    assertThrows(IllegalArgumentException.class, () -> loss.compute(List.of(a, a), List.of(b, b, b), null));
            assertTrue(unequal.getMessage().contains("2 student and 3 teacher layers"), unequal.getMessage());
        }
    }

    @Test
    void wordRelationsTakeASingleLayerAndGiveTheValueOfThatLayerInAStack() {
        NDArray a = TestTensors.normal(manager, 16, 2, 5, 4);
        NDArray b = TestTensors.normal(manager, 17, 2, 5, 4);
        WordRelationDistance dist = new WordRelationDistance();
        assertEquals(value(dist.compute(a.expandDims(1), b.expandDims(1), null)),
                value(dist.compute(List.of(a), List.of(b), null)), 1e-12);
        assertTrue(value(dist.compute(List.of(a), List.of(b), null)) > 0);
        MatchLoss angle = REGISTRY.match("wr_angle", LossArgs.EMPTY);
        assertEquals(Arity.ONE_OR_MORE, angle.arity());
        assertTrue(value(angle.compute(List.of(a), List.of(b), null)) > 0);
        assertEquals(0, value(angle.compute(List.of(a), List.of(a), null)), 1e-12);
    }

    @Test
    void badArgumentsAndShapesAreRejectedWithTheirNames() {
        IllegalArgumentException even = assertThrows(
                IllegalArgumentException.class, () -> REGISTRY.match("wr_angle", LossArgs.of("window", 4)));
        assertTrue(even.getMessage().contains("'window' must be an odd number >= 1, got 4"), even.getMessage());
        IllegalArgumentException neighbours = assertThrows(
                IllegalArgumentException.class, () -> REGISTRY.match("wr_angle", LossArgs.of("neighbours", "all")));
        assertTrue(neighbours.getMessage().contains("'neighbours'"), neighbours.getMessage());
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class, () -> REGISTRY.match("wr_dist", LossArgs.of("window", 3)));
        assertTrue(unknown.getMessage().contains("no argument 'window'"), unknown.getMessage());
        NDArray s = TestTensors.normal(manager, 18, 2, 5, 4);
        NDArray t = TestTensors.normal(manager, 19, 2, 6, 4);
        IllegalArgumentException length = assertThrows(
                IllegalArgumentException.class,
                () -> REGISTRY.match("wr_dist", LossArgs.EMPTY).compute(List.of(s, s), List.of(t, t), null));
        assertTrue(length.getMessage().contains("same batch and length"), length.getMessage());
        NDArray badMask = TestTensors.mask(manager, 4, 4, 4);
        IllegalArgumentException mask = assertThrows(
                IllegalArgumentException.class,
                () -> REGISTRY.match("ltr_dist", LossArgs.EMPTY).compute(List.of(s, s), List.of(s, s), badMask));
        assertTrue(mask.getMessage().contains("inputs mask of shape"), mask.getMessage());
    }

    @Test
    void theStackedFormOfTheWordRelationsAcceptsASingleLayer() {
        NDArray s = TestTensors.normal(manager, 20, 2, 1, 5, 3);
        NDArray t = TestTensors.normal(manager, 21, 2, 1, 5, 4);
        assertTrue(value(new WordRelationDistance().compute(s, t, null)) > 0);
        assertTrue(value(new WordRelationAngle(3, WordRelationAngle.Neighbours.CLAMPED).compute(s, t, null)) > 0);
        assertThrows(IllegalArgumentException.class, () -> new LayerRelationDistance().compute(s, t, null));
    }

    @Test
    void onlyTheResultOutlivesTheCallAndItBelongsToTheStudentsManager() {
        try (NDManager cache = NDManager.newBaseManager(); NDManager step = manager.newSubManager()) {
            NDArray t = TestTensors.normal(manager, 22, 2, 3, 6, 5);
            t.attach(cache);
            List<NDArray> teacher = layers(t);
            for (NDArray x : teacher) {
                x.attach(cache);
            }
            NDArray s = TestTensors.normal(manager, 23, 2, 3, 6, 4);
            s.attach(step);
            List<NDArray> student = layers(s);
            NDArray mask = TestTensors.mask(manager, 6, 6, 3);
            int cacheBefore = cache.getManagedArrays().size();
            int stepBefore = step.getManagedArrays().size();
            int calls = 0;
            for (MatchLoss loss : allTerms().values()) {
                NDArray l = loss.compute(student, teacher, mask);
                calls++;
                assertTrue(l.getManager() == step, "the result must belong to the student's manager");
            }
            assertEquals(cacheBefore, cache.getManagedArrays().size(), "nothing may land in the teacher's manager");
            assertEquals(stepBefore + calls, step.getManagedArrays().size(), "only the results may stay");
        }
    }

    @Test
    void aSingleRealTokenHasNoPairsAndAddsOnlyToTheDenominator() {
        NDArray s = TestTensors.normal(manager, 24, 2, 3, 5, 4);
        NDArray t = TestTensors.normal(manager, 25, 2, 3, 5, 6);
        MatchLoss loss = REGISTRY.match("wr_dist", LossArgs.EMPTY);
        double alone = value(loss.compute(layers(s.get("0:1")), layers(t.get("0:1")), TestTensors.mask(manager, 5, 4)));
        double withSingle = value(loss.compute(layers(s), layers(t), TestTensors.mask(manager, 5, 4, 1)));
        assertEquals(alone * 16 / 17, withSingle, 1e-15); // denominators (K+1) * 16 and (K+1) * (16 + 1)
    }
}
