package ai.distill4j.loss.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A plain timing main for the relation losses at KD-BENCH-1 shapes, robust to a shared machine: for each loss it
 * prints the median wall time and the median process CPU time of a forward + backward pass, next to the same
 * figures for one BERT layer (hidden 384, 12 heads, FFN 1536) forward + backward at the same batch, measured in
 * the same run, so that the ratio stays meaningful when other processes steal cores.
 *
 * <p>Arguments: {@code [repeats] [loss ...]} (default 10 repeats and every relation loss; {@code wr_angle_direct} is
 * the official window-angle formulation); {@code -Dbatch=N} changes the batch size.
 */
public final class RelationLossTiming {

    private static final int BATCH = BenchInputs.BATCH;
    private static final int LENGTH = BenchInputs.LENGTH;
    private static final int HIDDEN = BenchInputs.HIDDEN;
    private static final int LAYERS = BenchInputs.LAYERS;

    private RelationLossTiming() {}

    /**
     * Runs the timings.
     *
     * @param args {@code [repeats] [loss ...]}
     */
    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> losses = args.length > 1
                ? Arrays.asList(args).subList(1, args.length)
                : List.of("wr_dist", "wr_angle", "ltr_dist", "ltr_angle", "minilm_attention", "minilm_value",
                        "minilmv2", "rkd_distance", "rkd_angle");
        int batch = Integer.getInteger("batch", BATCH);
        Engine.getInstance().setRandomSeed(11);
        try (NDManager root = NDManager.newBaseManager()) {
            BertLayer layer = new BertLayer(root, batch);
            NDArray layerInput = root.randomNormal(new Shape(batch, LENGTH, HIDDEN));
            layerInput.setRequiresGradient(true);
            System.out.printf(Locale.ROOT, "threads=%s, repeats=%d, B=%d L=%d H=%d K+1=%d%n",
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), repeats, batch, LENGTH, HIDDEN, LAYERS);
            report("bert_layer (reference)", repeats, () -> layer.forwardBackward(root, layerInput));
            for (String name : losses) {
                try (NDManager owner = root.newSubManager()) {
                    BenchInputs inputs = new BenchInputs(owner, name, batch);
                    report(name, repeats, () -> {
                        try (NDManager step = owner.newSubManager();
                                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray l = inputs.loss.compute(inputs.studentStep(step), inputs.teacher, inputs.mask);
                            gc.backward(l);
                            return l.toType(DataType.FLOAT32, false).getFloat();
                        }
                    });
                }
            }
            report("bert_layer (reference)", repeats, () -> layer.forwardBackward(root, layerInput));
        }
    }

    private static void report(String name, int repeats, Supplier<Float> run) {
        run.get(); // warm-up
        run.get();
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < repeats; r++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            run.get();
            wall[r] = (System.nanoTime() - t0) / 1e6;
            cpu[r] = (os.getProcessCpuTime() - c0) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%-24s wall median %7.1f ms (min %7.1f)   cpu median %7.1f ms%n",
                name, wall[repeats / 2], wall[0], cpu[repeats / 2]);
    }

    /** One post-LN BERT layer with random weights: attention (12 heads) and FFN 1536, forward and backward. */
    private static final class BertLayer {
        private final NDArray[] w;
        private final int batch;

        BertLayer(NDManager manager, int batch) {
            this.batch = batch;
            long[][] shapes = {{HIDDEN, HIDDEN}, {HIDDEN, HIDDEN}, {HIDDEN, HIDDEN}, {HIDDEN, HIDDEN},
                {HIDDEN, 4 * HIDDEN}, {4 * HIDDEN, HIDDEN}};
            w = new NDArray[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                w[i] = manager.randomNormal(0, 0.02f, new Shape(shapes[i]), DataType.FLOAT32);
                w[i].setRequiresGradient(true);
            }
        }

        float forwardBackward(NDManager root, NDArray input) {
            try (NDManager step = root.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = input.mul(1f);
                x.attach(step);
                int heads = 12;
                long d = HIDDEN / heads;
                NDArray q = x.matMul(w[0]).reshape(batch, LENGTH, heads, d).transpose(0, 2, 1, 3);
                NDArray k = x.matMul(w[1]).reshape(batch, LENGTH, heads, d).transpose(0, 2, 3, 1);
                NDArray v = x.matMul(w[2]).reshape(batch, LENGTH, heads, d).transpose(0, 2, 1, 3);
                NDArray ctx = q.matMul(k).mul(1.0 / Math.sqrt(d)).softmax(-1).matMul(v)
                        .transpose(0, 2, 1, 3).reshape(batch, LENGTH, HIDDEN);
                NDArray h = norm(ctx.matMul(w[3]).add(x));
                NDArray ff = h.matMul(w[4]).getNDArrayInternal().gelu().matMul(w[5]);
                NDArray out = norm(ff.add(h));
                NDArray l = out.square().mean();
                gc.backward(l);
                return l.getFloat();
            }
        }

        private static NDArray norm(NDArray x) {
            NDArray mean = x.mean(new int[] {-1}, true);
            NDArray centred = x.sub(mean);
            return centred.div(centred.square().mean(new int[] {-1}, true).add(1e-12).sqrt());
        }
    }
}
