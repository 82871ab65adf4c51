package ai.distill4j.distill.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the optimizer phase of a KD-BENCH-1 step (global-norm clipping at 1.0 + AdamW 1e-4 with decay 0.01 over the
 * 3-layer student's 17.7 million parameters) in two forms, alternated in one process: clipping as a pass of its
 * own plus AdamW's NDArray form (about fourteen passes per parameter), and the norm alone plus the one-pass host
 * update that applies the clipping factor. Not a unit test; run it with
 * <pre>
 * mvn -o -q -pl distiller-core test-compile org.codehaus.mojo:exec-maven-plugin:exec -Dexec.executable=java \
 *   -Dexec.classpathScope=test \
 *   -Dexec.args="-Dai.djl.pytorch.num_threads=2 -cp %classpath ai.distill4j.distill.optim.OptimizerStepComparison"
 * </pre>
 */
public final class OptimizerStepComparison {

    private OptimizerStepComparison() {}

    /**
     * Runs the comparison.
     *
     * @param args {@code [rounds]} (default 10)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> ref = studentSized(manager);
            Map<String, Parameter> host = studentSized(manager);
            long n = ref.values().stream().mapToLong(p -> p.getArray().size()).sum();
            System.out.printf("parameters: %d arrays, %d elements%n", ref.size(), n);
            List<NDArray> grads = new ArrayList<>();
            for (Parameter p : ref.values()) {
                grads.add(manager.randomNormal(0, 0.05f, p.getArray().getShape(), p.getArray().getDataType()));
            }
            try (AdamW a = AdamW.of(manager, 1e-4, 0.01); AdamW b = AdamW.of(manager, 1e-4, 0.01)) {
                a.hostUpdate = false;
                a.addParameters(ref);
                b.addParameters(host);
                List<Double> before = new ArrayList<>();
                List<Double> after = new ArrayList<>();
                for (int r = -2; r < rounds; r++) {
                    gradients(ref, grads, manager);
                    long t0 = System.nanoTime();
                    GradientClipping.clipGlobalNorm(ref.values(), 1.0, manager);
                    a.step();
                    long t1 = System.nanoTime();
                    gradients(host, grads, manager);
                    long t2 = System.nanoTime();
                    double norm = GradientClipping.globalNorm(host.values(), manager);
                    b.step(GradientClipping.scale(norm, 1.0));
                    long t3 = System.nanoTime();
                    if (r >= 0) {
                        before.add((t1 - t0) / 1e6);
                        after.add((t3 - t2) / 1e6);
                    }
                }
                System.out.printf("clip + AdamW (NDArray form): median %.1f ms %s%n", median(before), before);
                System.out.printf("norm + host AdamW (one pass): median %.1f ms %s%n", median(after), after);
                System.out.printf("ratio %.2f%n", median(after) / median(before));
            }
        }
    }

    /** The KD-BENCH-1 student's parameter shapes (embeddings, 3 layers, pooler, 2-way classifier). */
    private static Map<String, Parameter> studentSized(NDManager manager) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        add(out, manager, "embeddings.word_embeddings.weight", 30522, 384);
        add(out, manager, "embeddings.position_embeddings.weight", 512, 384);
        add(out, manager, "embeddings.token_type_embeddings.weight", 2, 384);
        add(out, manager, "embeddings.LayerNorm.weight", 384);
        add(out, manager, "embeddings.LayerNorm.bias", 384);
        for (int l = 0; l < 3; l++) {
            String p = "encoder.layer." + l + ".";
            for (String lin : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense"}) {
                add(out, manager, p + lin + ".weight", 384, 384);
                add(out, manager, p + lin + ".bias", 384);
            }
            add(out, manager, p + "attention.output.LayerNorm.weight", 384);
            add(out, manager, p + "attention.output.LayerNorm.bias", 384);
            add(out, manager, p + "intermediate.dense.weight", 1536, 384);
            add(out, manager, p + "intermediate.dense.bias", 1536);
            add(out, manager, p + "output.dense.weight", 384, 1536);
            add(out, manager, p + "output.dense.bias", 384);
            add(out, manager, p + "output.LayerNorm.weight", 384);
            add(out, manager, p + "output.LayerNorm.bias", 384);
        }
        add(out, manager, "pooler.dense.weight", 384, 384);
        add(out, manager, "pooler.dense.bias", 384);
        add(out, manager, "classifier.weight", 2, 384);
        add(out, manager, "classifier.bias", 2);
        return out;
    }

    private static void add(Map<String, Parameter> out, NDManager manager, String name, long... shape) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray a = manager.randomNormal(0, 0.02f, new Shape(shape), ai.djl.ndarray.types.DataType.FLOAT32);
        a.setRequiresGradient(true);
        p.setArray(a);
        out.put(name, p);
    }

    /** Gives each parameter the gradient {@code g} by back-propagating {@code Σ sum(g · w)}. */
    private static void gradients(Map<String, Parameter> params, List<NDArray> grads, NDManager manager) {
        try (NDManager step = manager.newSubManager();
                GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray total = null;
            int i = 0;
            for (Parameter p : params.values()) {
                NDArray term = grads.get(i++).mul(p.getArray()).sum();
                term.attach(step);
                total = total == null ? term : total.add(term);
            }
            c.backward(total);
        }
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int k = s.size();
        return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
    }
}
