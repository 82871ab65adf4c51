package ai.distill4j.loss.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;

/**
 * Finite-difference gradient checks in float64: compares the autograd gradient of a scalar function with central
 * differences at sampled coordinates.
 */
public final class GradientCheck {

    private GradientCheck() {}

    /**
     * Asserts that autograd and central differences agree.
     *
     * @param manager owner of every temporary
     * @param f the scalar function of one input (must accept FLOAT64)
     * @param x the point (any float type; converted to FLOAT64)
     * @param samples how many coordinates to probe (all when the input is smaller)
     * @param tolerance absolute or relative, whichever is looser
     */
    public static void assertGradient(
            NDManager manager, Function<NDArray, NDArray> f, NDArray x, int samples, double tolerance) {
        try (NDManager m = manager.newSubManager()) {
            NDArray point = x.toType(DataType.FLOAT64, true);
            point.attach(m);
            double[] base = point.toDoubleArray();
            NDArray input = m.create(base, point.getShape());
            input.setRequiresGradient(true);
            double[] analytic;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(input);
                gc.backward(y);
            }
            analytic = input.getGradient().toDoubleArray();
            Random random = new Random(7);
            int n = base.length;
            int probes = Math.min(samples, n);
            double h = 1e-6;
            for (int k = 0; k < probes; k++) {
                int i = probes == n ? k : random.nextInt(n);
                double[] plus = base.clone();
                double[] minus = base.clone();
                plus[i] += h;
                minus[i] -= h;
                double fp = f.apply(m.create(plus, point.getShape())).toType(DataType.FLOAT64, false).getDouble();
                double fm = f.apply(m.create(minus, point.getShape())).toType(DataType.FLOAT64, false).getDouble();
                double numeric = (fp - fm) / (2 * h);
                double diff = Math.abs(numeric - analytic[i]);
                assertTrue(
                        diff <= tolerance || diff <= tolerance * Math.abs(numeric),
                        "gradient at index " + i + ": autograd " + analytic[i] + ", finite difference " + numeric);
            }
        }
    }
}
