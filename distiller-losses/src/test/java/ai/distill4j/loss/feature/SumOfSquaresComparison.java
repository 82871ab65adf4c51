package ai.distill4j.loss.feature;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;

/**
 * Times {@code attention_mse}'s squared-error sum at KD-BENCH-1 shapes ({@code (32, 12, 128, 128)}), forward and
 * backward, in two forms alternated in one process: the norm squared with the norm's own backward, and
 * {@link SumOfSquares} (the same value, the gradient through one multiplication). Not a unit test; run it with
 * <pre>
 * mvn -o -q -pl distiller-losses test-compile org.codehaus.mojo:exec-maven-plugin:exec -Dexec.executable=java \
 *   -Dexec.classpathScope=test \
 *   -Dexec.args="-Dai.djl.pytorch.num_threads=2 -cp %classpath ai.distill4j.loss.feature.SumOfSquaresComparison"
 * </pre>
 */
public final class SumOfSquaresComparison {

    private SumOfSquaresComparison() {}

    /**
     * Runs the comparison.
     *
     * @param args {@code [rounds]} (default 10)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(32, 12, 128, 128);
            NDArray s = manager.randomNormal(shape);
            NDArray t = manager.randomNormal(shape);
            s.setRequiresGradient(true);
            List<Double> norm = new ArrayList<>();
            List<Double> one = new ArrayList<>();
            for (int r = -2; r < rounds; r++) {
                double a = time(manager, s, t, false);
                double b = time(manager, s, t, true);
                if (r >= 0) {
                    norm.add(a);
                    one.add(b);
                }
            }
            System.out.printf("norm squared, norm backward: median %.1f ms %s%n", median(norm), norm);
            System.out.printf("SumOfSquares (one-pass backward): median %.1f ms %s%n", median(one), one);
            System.out.printf("ratio %.2f%n", median(one) / median(norm));
        }
    }

    private static double time(NDManager manager, NDArray s, NDArray t, boolean onePass) {
        long t0 = System.nanoTime();
        try (NDManager step = manager.newSubManager();
                GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray d = s.sub(t);
            d.attach(step);
            NDArray loss;
            if (onePass) {
                loss = SumOfSquares.of(d);
            } else {
                NDArray n = d.norm();
                loss = n.mul(n);
            }
            c.backward(loss);
            loss.getFloat();
            s.getGradient().getFloat(0, 0, 0, 0);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int k = sorted.size();
        return k % 2 == 1 ? sorted.get(k / 2) : (sorted.get(k / 2 - 1) + sorted.get(k / 2)) / 2;
    }
}
