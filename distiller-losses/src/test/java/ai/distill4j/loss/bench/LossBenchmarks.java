package ai.distill4j.loss.bench;

import ai.distill4j.loss.KdLoss;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import ai.distill4j.loss.testing.RandomArrays;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Forward plus backward of each TextBrewer-family loss at the KD-BENCH-1 shapes: batch 32, length 128, 12 heads,
 * hidden 384, 2 classes; float32, inputs mask of ones (the masked branch, as GeneralDistiller takes it).
 *
 * <p>Inputs are created once per trial; each invocation runs the loss inside a {@link GradientCollector}, calls
 * backward (the student inputs are gradient leaves, so the gradient is accumulated into them) and reads the scalar.
 * An {@link NDScope} frees every array of the invocation. Not a unit test (no {@code Test} in the name): run it with
 *
 * <pre>
 * mvn -o -q -pl distiller-losses test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath org.openjdk.jmh.Main ai.distill4j.loss.bench -f 1 -wi 2 -i 3 -t 1 -w 1s -r 1s"
 * </pre>
 *
 * <p>The forked JVM runs PyTorch with one intra-op thread ({@code -Dai.djl.pytorch.num_threads=1}); override with
 * {@code -jvmArgsAppend} in the JMH arguments.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "-Xmx4g",
            "-Dai.djl.offline=true",
            "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1"
        })
public class LossBenchmarks {

    static final int BATCH = 32;
    static final int LENGTH = 128;
    static final int HEADS = 12;
    static final int HIDDEN = 384;
    static final int CLASSES = 2;

    /** {@code kd:NAME} for a KD loss on {@code (32, 2)} logits at T = 4; otherwise a match-loss name. */
    @Param({
        "kd:ce",
        "kd:mse",
        "kd:kl",
        "kd:multilabel",
        "attention_mse",
        "attention_mse_sum",
        "attention_ce",
        "attention_ce_mean",
        "hidden_mse",
        "cos",
        "pkd",
        "fsp",
        "mmd"
    })
    public String loss;

    private NDManager manager;
    private KdLoss kd;
    private MatchLoss match;
    private List<NDArray> student;
    private List<NDArray> teacher;
    private NDArray mask;
    private NDArray temperature;

    /** Builds the loss and its inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        LossRegistry registry = LossRegistry.global();
        DataType f32 = DataType.FLOAT32;
        if (loss.startsWith("kd:")) {
            kd = registry.kd(loss.substring(3), LossArgs.EMPTY);
            student = List.of(RandomArrays.normal(manager, f32, 1, 2, BATCH, CLASSES));
            teacher = List.of(RandomArrays.normal(manager, f32, 2, 2, BATCH, CLASSES));
            temperature = manager.create(4f);
        } else {
            match = registry.match(loss, LossArgs.EMPTY);
            long[] shape = loss.startsWith("attention")
                    ? new long[] {BATCH, HEADS, LENGTH, LENGTH}
                    : new long[] {BATCH, LENGTH, HIDDEN};
            int layers = match.arity() == ai.distill4j.loss.Arity.PAIR ? 2 : 1;
            student = new java.util.ArrayList<>();
            teacher = new java.util.ArrayList<>();
            for (int k = 0; k < layers; k++) {
                student.add(RandomArrays.normal(manager, f32, 10 + k, 1, shape));
                teacher.add(RandomArrays.normal(manager, f32, 20 + k, 1, shape));
            }
            mask = manager.ones(new ai.djl.ndarray.types.Shape(BATCH, LENGTH), DataType.INT64);
        }
        student.forEach(s -> s.setRequiresGradient(true));
    }

    /** Frees the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /**
     * One forward and backward pass.
     *
     * @return the loss value
     */
    @Benchmark
    @SuppressWarnings("try") // the scope only frees what the invocation created
    public float forwardBackward() {
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray value = kd != null
                    ? kd.compute(student.get(0), teacher.get(0), temperature)
                    : match.compute(student, teacher, mask);
            gc.backward(value);
            return value.getFloat();
        }
    }
}
