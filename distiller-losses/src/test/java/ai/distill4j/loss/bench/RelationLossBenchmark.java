package ai.distill4j.loss.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.distill4j.loss.MatchLoss;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward + backward time of the relation losses at KD-BENCH-1 shapes (see {@link BenchInputs}): batch 32, length
 * 128, hidden 384 on both sides, 4 aligned layers (embeddings + 3), 12 heads, float32, about a quarter of the
 * positions padding.
 *
 * <p>{@code wr_angle_direct} is the official formulation (every window difference materialised), kept here only as
 * the baseline for {@code wr_angle}; run it with {@code -p batch=8}, it needs several GB at batch 32.
 * The command is in docs/losses-relation.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RelationLossBenchmark {

    /** The loss: a registry name, or {@code wr_angle_direct}. */
    @Param({"wr_dist", "wr_angle", "ltr_dist", "ltr_angle", "minilm_attention", "minilm_value", "minilmv2",
        "rkd_distance", "rkd_angle"})
    public String loss;

    /** Batch size. */
    @Param("32")
    public int batch;

    private NDManager root;
    private BenchInputs inputs;

    /** Creates the inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.getInstance().setRandomSeed(11);
        root = NDManager.newBaseManager();
        inputs = new BenchInputs(root, loss, batch);
    }

    /** Frees the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        root.close();
    }

    /**
     * One forward and backward pass.
     *
     * @return the loss value
     */
    @Benchmark
    public float forwardBackward() {
        try (NDManager step = root.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = inputs.loss.compute(inputs.studentStep(step), inputs.teacher, inputs.mask);
            gc.backward(l);
            return l.toType(DataType.FLOAT32, false).getFloat();
        }
    }

    /** The official window-angle formulation: gathers every neighbour difference (B, K+1, L, w, d) at once. */
    static final class DirectWindowAngle implements MatchLoss {
        private final int window;

        DirectWindowAngle(int window) {
            this.window = window;
        }

        @Override
        public ai.distill4j.loss.Arity arity() {
            return ai.distill4j.loss.Arity.MULTI;
        }

        @Override
        public NDArray compute(List<NDArray> studentLayers, List<NDArray> teacherLayers, NDArray m) {
            NDArray hs = ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(studentLayers), 1);
            NDArray ht = ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(teacherLayers), 1).stopGradient();
            int len = (int) hs.getShape().get(2);
            int h = (window - 1) / 2;
            long[] idx = new long[len * window];
            for (int i = 0; i < len; i++) {
                for (int a = 0; a < window; a++) {
                    idx[i * window + a] = Math.min(Math.max(i + a - h, 0), len - 1);
                }
            }
            NDArray index = hs.getManager().create(idx);
            NDArray as = angles(hs, index);
            NDArray at = angles(ht, index);
            NDArray perCentre = as.sub(at).square().sum(new int[] {3, 4});
            long bsz = hs.getShape().get(0);
            NDArray total = perCentre.mul(m.reshape(bsz, 1, len)).sum();
            double tokens = m.sum().getFloat();
            return total.div(hs.getShape().get(1) * tokens * window * window);
        }

        private NDArray angles(NDArray x, NDArray index) {
            Shape s = x.getShape();
            NDArray neighbours = x.get(new ai.djl.ndarray.index.NDIndex(":, :, {}", index))
                    .reshape(s.get(0), s.get(1), s.get(2), window, s.get(3));
            NDArray u = neighbours.sub(x.expandDims(3)).normalize(2, -1, 1e-12);
            return u.matMul(u.transpose(0, 1, 2, 4, 3));
        }
    }
}
