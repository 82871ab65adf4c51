package ai.distill4j.loss.logit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.loss.KdLoss;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.testing.GradientCheck;
import ai.distill4j.loss.testing.RandomArrays;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogitKdLossesTest {

    private static final List<KdLoss> ALL =
            List.of(new SoftCrossEntropyKdLoss(), new MseKdLoss(), new KlDivergenceKdLoss(), new MultiLabelKdLoss());

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** kd-losses.md section 4: zs[b][c] = 2 sin(1 + b + 0.7c), zt[b][c] = 3 cos(0.5 + 0.3b + 1.1c), B=2, C=3. */
    private NDArray referenceLogits(boolean student, int classes, DataType type) {
        double[] data = new double[2 * classes];
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < classes; c++) {
                data[b * classes + c] = student
                        ? 2 * Math.sin(1 + b + 0.7 * c)
                        : 3 * Math.cos(0.5 + 0.3 * b + 1.1 * c);
            }
        }
        NDArray a = manager.create(data, new Shape(2, classes));
        return a.toType(type, false);
    }

    private NDArray tau(double t, DataType type) {
        return manager.create(t).toType(type, false);
    }

    private static double value(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    @Test
    void klMatchesHintonsTauSquaredBatchmeanReference() {
        for (DataType type : List.of(DataType.FLOAT64, DataType.FLOAT32)) {
            NDArray loss = new KlDivergenceKdLoss().compute(
                    referenceLogits(true, 3, type), referenceLogits(false, 3, type), tau(2, type));
            assertEquals(type, loss.getDataType());
            assertEquals(1.0712251359278286, value(loss), type == DataType.FLOAT64 ? 1e-12 : 1e-6);
        }
    }

    @Test
    void ceMatchesSoftCrossEntropyReferenceWithoutTauSquared() {
        NDArray loss = new SoftCrossEntropyKdLoss().compute(
                referenceLogits(true, 3, DataType.FLOAT64), referenceLogits(false, 3, DataType.FLOAT64),
                tau(2, DataType.FLOAT64));
        assertEquals(0.9453030487692661, value(loss), 1e-12);
    }

    @Test
    void mseMatchesRegressionReferenceOnOneColumn() {
        NDArray loss = new MseKdLoss().compute(
                referenceLogits(true, 1, DataType.FLOAT64), referenceLogits(false, 1, DataType.FLOAT64),
                tau(2, DataType.FLOAT64));
        assertEquals(0.12198210911050077, value(loss), 1e-12);
    }

    @Test
    void multilabelIsLogTwoForTwoUndecidedLogits() {
        NDArray zero = manager.zeros(new Shape(1, 1));
        assertEquals(Math.log(2), value(new MultiLabelKdLoss().compute(zero, zero, tau(3, DataType.FLOAT32))), 1e-6);
    }

    @Test
    void multilabelMatchesBinaryCrossEntropyComputedByHand() {
        double t = 2;
        double[] s = {0.5, -1.5, 3.0, 0.0, -4.0, 1.0};
        double[] te = {1.0, 2.0, -3.0, 0.5, -0.5, 8.0};
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            double p = 1 / (1 + Math.exp(-te[i] / t));
            double logP1 = Math.log(1 / (1 + Math.exp(-s[i] / t)));
            double logP0 = Math.log(1 / (1 + Math.exp(s[i] / t)));
            sum += -(p * logP1 + (1 - p) * logP0);
        }
        double expected = sum / s.length; // mean over N * C = 6 elements
        NDArray loss = new MultiLabelKdLoss().compute(
                manager.create(s, new Shape(2, 3)), manager.create(te, new Shape(2, 3)), tau(t, DataType.FLOAT64));
        assertEquals(expected, value(loss), 1e-12);
        assertEquals(0.8686761330719127, expected, 1e-15); // the same formula evaluated in Python
    }

    @Test
    void klAndMseAreZeroAndCeIsTheTeachersEntropyWhenLogitsMatch() {
        NDArray z = RandomArrays.normal(manager, DataType.FLOAT32, 1, 2, 4, 5);
        NDArray t = tau(3, DataType.FLOAT32);
        assertEquals(0, value(new KlDivergenceKdLoss().compute(z, z, t)), 1e-6);
        assertEquals(0, value(new MseKdLoss().compute(z, z, t)), 0);
        NDArray p = z.div(3).softmax(-1);
        double entropy = value(p.mul(p.log()).sum(new int[] {-1}).mean().neg());
        assertEquals(entropy, value(new SoftCrossEntropyKdLoss().compute(z, z, t)), 1e-6);
    }

    @Test
    void everyLogitLossHasZeroGradientWhenLogitsMatch() {
        NDArray teacher = RandomArrays.normal(manager, DataType.FLOAT64, 2, 2, 3, 4, 5);
        for (KdLoss loss : ALL) {
            NDArray student = teacher.duplicate();
            student.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.compute(student, teacher, tau(2.5, DataType.FLOAT64)));
            }
            double maxGrad = value(student.getGradient().abs().max());
            assertEquals(0, maxGrad, 1e-12, loss.getClass().getSimpleName());
        }
    }

    @Test
    void everyLogitLossHasTheFiniteDifferenceGradientFor2dAnd3dLogitsAndPerRowTemperature() {
        for (KdLoss loss : ALL) {
            String name = loss.getClass().getSimpleName();
            NDArray t2 = RandomArrays.normal(manager, DataType.FLOAT64, 3, 2, 4, 6);
            NDArray s2 = RandomArrays.normal(manager, DataType.FLOAT64, 4, 2, 4, 6);
            NDArray perRow = manager.create(new double[] {1, 2, 4, 0.5});
            GradientCheck.assertGradient(manager, x -> loss.compute(x, t2, tau(3, DataType.FLOAT64)), s2, 24, 1e-6);
            GradientCheck.assertGradient(manager, x -> loss.compute(x, t2, perRow), s2, 24, 1e-6);
            NDArray t3 = RandomArrays.normal(manager, DataType.FLOAT64, 5, 2, 2, 3, 4);
            NDArray s3 = RandomArrays.normal(manager, DataType.FLOAT64, 6, 2, 2, 3, 4);
            NDArray perPosition = manager.create(new double[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            GradientCheck.assertGradient(manager, x -> loss.compute(x, t3, perPosition), s3, 24, 1e-6);
            assertTrue(Double.isFinite(value(loss.compute(s3, t3, perPosition))), name);
        }
    }

    @Test
    void aPerRowTemperatureGivesEachRowTheLossAtItsOwnTemperature() {
        NDArray s = RandomArrays.normal(manager, DataType.FLOAT64, 7, 2, 3, 5);
        NDArray t = RandomArrays.normal(manager, DataType.FLOAT64, 8, 2, 3, 5);
        double[] taus = {1, 2.5, 6};
        for (KdLoss loss : ALL) {
            double sum = 0;
            for (int n = 0; n < 3; n++) {
                sum += value(loss.compute(s.get(n + ":" + (n + 1)), t.get(n + ":" + (n + 1)), tau(taus[n], DataType.FLOAT64)));
            }
            double perRow = value(loss.compute(s, t, manager.create(taus)));
            assertEquals(sum / 3, perRow, 1e-12, loss.getClass().getSimpleName());
        }
    }

    @Test
    void sequenceLogitsAverageOverEveryPositionAndAcceptAFlatOrShapedPerPositionTemperature() {
        NDArray s = RandomArrays.normal(manager, DataType.FLOAT64, 9, 2, 2, 3, 4);
        NDArray t = RandomArrays.normal(manager, DataType.FLOAT64, 10, 2, 2, 3, 4);
        double[] taus = {1, 2, 3, 4, 5, 6};
        for (KdLoss loss : ALL) {
            double shaped = value(loss.compute(s, t, manager.create(taus, new Shape(2, 3))));
            double flat = value(loss.compute(s, t, manager.create(taus)));
            double rows = value(loss.compute(s.reshape(6, 4), t.reshape(6, 4), manager.create(taus)));
            assertEquals(rows, shaped, 1e-12);
            assertEquals(rows, flat, 1e-12);
        }
    }

    @Test
    void klGradientIsTauSquaredTimesTheCeGradient() {
        NDArray teacher = RandomArrays.normal(manager, DataType.FLOAT64, 11, 2, 4, 5);
        double[] ce = gradient(new SoftCrossEntropyKdLoss(), teacher, 12, 3);
        double[] kl = gradient(new KlDivergenceKdLoss(), teacher, 12, 3);
        for (int i = 0; i < ce.length; i++) {
            assertEquals(9 * ce[i], kl[i], 1e-12);
        }
    }

    private double[] gradient(KdLoss loss, NDArray teacher, long seed, double t) {
        NDArray student = RandomArrays.normal(manager, DataType.FLOAT64, seed, 2, 4, 5);
        student.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.compute(student, teacher, tau(t, DataType.FLOAT64)));
        }
        return student.getGradient().toDoubleArray();
    }

    @Test
    void theTeacherGetsNoGradientAndTheLossCreatesNothingInTheTeachersManager() {
        try (NDManager teacherManager = NDManager.newBaseManager();
                NDManager step = manager.newSubManager()) {
            NDArray teacher = RandomArrays.normal(teacherManager, DataType.FLOAT32, 13, 1, 3, 4);
            teacher.setRequiresGradient(true);
            for (KdLoss loss : ALL) {
                String name = loss.getClass().getSimpleName();
                NDArray student = RandomArrays.normal(step, DataType.FLOAT32, 14, 1, 3, 4);
                student.setRequiresGradient(true);
                int teacherArrays = teacherManager.getManagedArrays().size();
                NDArray value;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    value = loss.compute(student, teacher, step.create(2f));
                    gc.backward(value);
                }
                assertEquals(teacherArrays, teacherManager.getManagedArrays().size(), name);
                assertEquals(step, value.getManager(), name);
                try (NDManager scratch = step.newSubManager()) {
                    NDArray g = teacher.getGradient();
                    g.attach(scratch);
                    assertEquals(0, value(g.abs().sum()), 0, name);
                }
                assertTrue(value(student.getGradient().abs().sum()) > 0, name);
            }
        }
    }

    @Test
    void mismatchedShapesAndTemperaturesAreRejectedWithTheirShapes() {
        NDArray a = manager.zeros(new Shape(2, 3));
        NDArray b = manager.zeros(new Shape(2, 4));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new SoftCrossEntropyKdLoss().compute(a, b, manager.create(1f)));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(2, 4)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new KlDivergenceKdLoss().compute(a, a, manager.create(new float[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("'kl'") && e.getMessage().contains("(3)"), e.getMessage());
        NDArray flat = manager.zeros(new Shape(6));
        e = assertThrows(IllegalArgumentException.class, () -> new MseKdLoss().compute(flat, flat, manager.create(1f)));
        assertTrue(e.getMessage().contains("(N, C) or (B, L, C)"), e.getMessage());
    }

    @Test
    void theRegistryNamesEveryLogitLossAndListsThemForAnUnknownName() {
        LossRegistry registry = LossRegistry.withBuiltIns();
        assertTrue(registry.kdNames().containsAll(Set.of("ce", "mse", "kl", "multilabel", "multi-label")));
        assertTrue(registry.kd("kl", LossArgs.EMPTY) instanceof KlDivergenceKdLoss);
        assertTrue(registry.kd("multi-label", LossArgs.EMPTY) instanceof MultiLabelKdLoss);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> registry.kd("hinton", LossArgs.EMPTY));
        for (String known : List.of("'hinton'", "ce", "kl", "mse", "multi-label", "multilabel")) {
            assertTrue(e.getMessage().contains(known), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> registry.kd("ce", LossArgs.of("alpha", 0.5)));
        assertTrue(e.getMessage().contains("'alpha'"), e.getMessage());
    }
}
