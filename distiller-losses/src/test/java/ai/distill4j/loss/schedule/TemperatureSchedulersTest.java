package ai.distill4j.loss.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.TemperatureScheduler;
import ai.distill4j.loss.logit.SoftCrossEntropyKdLoss;
import ai.distill4j.loss.testing.RandomArrays;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TemperatureSchedulersTest {

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

    private NDArray logits(long seed) {
        return RandomArrays.normal(manager, DataType.FLOAT64, seed, 2, 5, 4);
    }

    @Test
    void constantGivesTheBaseTemperatureAsAScalarOfTheLogitsType() {
        NDArray s = logits(1).toType(DataType.FLOAT32, false);
        NDArray tau = registry.temperature("constant", LossArgs.EMPTY).temperature(s, s, 4);
        assertEquals(new Shape(), tau.getShape());
        assertEquals(DataType.FLOAT32, tau.getDataType());
        assertEquals(4f, tau.getFloat());
        assertEquals(s.getManager(), tau.getManager());
    }

    @Test
    void flswFollowsItsFormulaRowByRow() {
        NDArray s = logits(2);
        NDArray t = logits(3);
        double beta = 1.5;
        double gamma = 2;
        double eps = 1e-4;
        double[][] sd = rows(s);
        double[][] td = rows(t);
        double[] w = new double[sd.length];
        double mean = 0;
        for (int n = 0; n < sd.length; n++) {
            double ns = norm(sd[n]) + eps;
            double nt = norm(td[n]) + eps;
            double dot = 0;
            for (int c = 0; c < sd[n].length; c++) {
                dot += sd[n][c] / ns * td[n][c] / nt;
            }
            w[n] = Math.pow(1 - dot, gamma);
            mean += w[n] / sd.length;
        }
        TemperatureScheduler flsw = registry.temperature("flsw", LossArgs.of("beta", beta, "gamma", gamma));
        double[] tau = flsw.temperature(s, t, 4).toDoubleArray();
        for (int n = 0; n < w.length; n++) {
            assertEquals(4 + (mean - w[n]) * beta, tau[n], 1e-12);
        }
        assertEquals(4, mean(tau), 1e-12, "the temperatures average to the base");
    }

    @Test
    void flswGivesRowsWhereStudentAndTeacherAgreeTheHigherTemperature() {
        NDArray t = manager.create(new double[] {5, 0, 0, 0, 5, 0}, new Shape(2, 3));
        NDArray s = manager.create(new double[] {4, 0.1, 0, 0, 0, 5}, new Shape(2, 3));
        double[] tau = new FlswTemperature(1, 1, 1e-4).temperature(s, t, 2).toDoubleArray();
        assertTrue(tau[0] > 2 && tau[1] < 2, java.util.Arrays.toString(tau));
    }

    @Test
    void cwsmFollowsItsFormulaAndReadsOnlyTheStudent() {
        NDArray s = logits(4);
        double[][] sd = rows(s);
        double[] w = new double[sd.length];
        double mean = 0;
        for (int n = 0; n < sd.length; n++) {
            double max = Double.NEGATIVE_INFINITY;
            double z = 0;
            for (double v : sd[n]) {
                max = Math.max(max, v);
            }
            for (double v : sd[n]) {
                z += Math.exp(v - max);
            }
            w[n] = 1 / (1 / z + 1e-3); // the largest probability is exp(0) / z
            mean += w[n] / sd.length;
        }
        TemperatureScheduler cwsm = registry.temperature("cwsm", LossArgs.of("beta", 0.5));
        double[] tau = cwsm.temperature(s, logits(5), 3).toDoubleArray();
        for (int n = 0; n < w.length; n++) {
            assertEquals(3 + (mean - w[n]) * 0.5, tau[n], 1e-12);
        }
        assertArrayEquals(tau, cwsm.temperature(s, logits(6), 3).toDoubleArray(), 0);
    }

    @Test
    void sequenceLogitsGetOneTemperaturePerPosition() {
        NDArray s = RandomArrays.normal(manager, DataType.FLOAT32, 7, 2, 2, 3, 4);
        NDArray t = RandomArrays.normal(manager, DataType.FLOAT32, 8, 2, 2, 3, 4);
        assertEquals(new Shape(2, 3), new FlswTemperature(1, 2, 1e-4).temperature(s, t, 4).getShape());
        assertEquals(new Shape(2, 3), new CwsmTemperature(1).temperature(s, t, 4).getShape());
    }

    @Test
    void noGradientFlowsThroughAScheduledTemperature() {
        NDArray teacher = logits(9);
        for (TemperatureScheduler scheduler : new TemperatureScheduler[] {
                new FlswTemperature(2, 2, 1e-4), new CwsmTemperature(2)}) {
            NDArray student = logits(10);
            student.setRequiresGradient(true);
            NDArray fixed = scheduler.temperature(student, teacher, 4).duplicate();
            double[] scheduled;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray tau = scheduler.temperature(student, teacher, 4);
                gc.backward(new SoftCrossEntropyKdLoss().compute(student, teacher, tau));
            }
            scheduled = student.getGradient().toDoubleArray();
            NDArray again = logits(10);
            again.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new SoftCrossEntropyKdLoss().compute(again, teacher, fixed));
            }
            assertArrayEquals(again.getGradient().toDoubleArray(), scheduled, 1e-15);
        }
    }

    @Test
    void missingAndUnknownArgumentsAreRejectedByName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> registry.temperature("flsw", LossArgs.of("beta", 1)));
        assertTrue(e.getMessage().contains("'gamma'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> registry.temperature("cwsm", LossArgs.EMPTY));
        assertTrue(e.getMessage().contains("'beta'"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> registry.temperature("cwsm", LossArgs.of("beta", 1, "gamma", 2)));
        assertTrue(e.getMessage().contains("'gamma'") && e.getMessage().contains("[beta]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> registry.temperature("annealed", LossArgs.EMPTY));
        assertTrue(e.getMessage().contains("[constant, cwsm, flsw]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FlswTemperature(1, 2, -1));
        assertTrue(e.getMessage().contains("'eps'"), e.getMessage());
    }

    @Test
    void flswTakesAnOptionalEps() {
        NDArray s = manager.create(new double[] {1e-4, 0, 0, 1}, new Shape(2, 2));
        NDArray t = manager.create(new double[] {1e-4, 0, 0, 1}, new Shape(2, 2));
        double[] small = registry.temperature("flsw", LossArgs.of("beta", 1, "gamma", 1, "eps", 1e-12))
                .temperature(s, t, 1).toDoubleArray();
        double[] standard = registry.temperature("flsw", LossArgs.of("beta", 1, "gamma", 1))
                .temperature(s, t, 1).toDoubleArray();
        assertEquals(1, small[0], 1e-7, "with a tiny eps identical rows weigh (almost) 0");
        assertTrue(standard[0] < 1, "with eps = 1e-4 the short row is penalized: " + standard[0]);
    }

    private static double[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        int c = (int) a.getShape().get(1);
        double[] flat = a.toDoubleArray();
        double[][] out = new double[n][c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * c, out[i], 0, c);
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
