package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.ValidationException;
import ai.distill4j.distill.callback.Callback;
import ai.distill4j.distill.checkpoint.Checkpoint;
import ai.distill4j.distill.checkpoint.CheckpointStore;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults during training lose nothing: a non-finite loss, gradient or weight stops the run (or skips the batch) with
 * the last good checkpoint intact, a failed checkpoint write leaves the previous one usable, and a failing callback
 * stops the run without corrupting what was written. Uses the linear toy model: 6 batches per epoch, one optimizer
 * step per batch, checkpoints after steps 2, 4 and 6.
 */
class FaultToleranceTest {

    @TempDir
    Path tmp;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Six batches of two rows; {@code nanBatch} (or none, with -1) has a NaN feature. */
    private static List<ToyModel.Batch> data(int nanBatch) {
        List<ToyModel.Batch> data = new ArrayList<>(ToyModel.data(6, 2, 3, 2, 7));
        if (nanBatch >= 0) {
            ToyModel.Batch b = data.get(nanBatch);
            float[][] x = {b.x()[0].clone(), b.x()[1].clone()};
            x[1][2] = Float.NaN;
            data.set(nanBatch, new ToyModel.Batch(x, b.y()));
        }
        return data;
    }

    private TrainingConfig config(Path out) {
        return TrainingConfig.builder().optOutputDir(out.toString()).optCkptFrequency(3).build();
    }

    /** Trains a fresh student (same seed every time) and returns its final weights. */
    private float[] train(Path out, List<ToyModel.Batch> data, TrainOptions.Builder<ToyModel.Batch> options,
            DistillModel<ToyModel.Batch, NDArray> wrapper, ToyModel student) throws IOException {
        ToyModel teacher = new ToyModel(manager, 3, 2, 1);
        DistillModel<ToyModel.Batch, NDArray> s = wrapper != null ? wrapper : student;
        try (BasicDistiller<ToyModel.Batch> d = new BasicDistiller<>(config(out), DistillationConfig.defaults(),
                AdaptedModel.of(teacher, ToyModel.adaptor(false)), AdaptedModel.of(s, ToyModel.adaptor(true)))) {
            d.train(options.build(), DataSource.of(data));
            return student.weights();
        }
    }

    private static TrainOptions.Builder<ToyModel.Batch> sgd() {
        return TrainOptions.<ToyModel.Batch>builder(OptimizerConfig.sgd(0.1).build()).optNumEpochs(1);
    }

    private static List<String> checkpointSteps(Path out) throws IOException {
        List<String> names = new ArrayList<>();
        for (Checkpoint c : CheckpointStore.open(out).listComplete()) {
            names.add("step-" + c.step());
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------- non-finite values

    @Test
    void aNonFiniteLossStopsNamingStepBatchAndTermAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path out = tmp.resolve("nan-loss");
        ToyModel student = new ToyModel(manager, 3, 2, 2);
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> train(out, data(3), sgd(), null, student));
        Path step2 = out.resolve("checkpoints").resolve("step-2").toAbsolutePath();
        assertEquals("non-finite loss at step 4 (batch 3): unweighted_kd_loss = NaN; training stopped; the last good "
                + "checkpoint is " + step2 + " (--resume continues from it)", e.getMessage());
        assertEquals(4, e.step());
        assertEquals(3, e.batch());
        assertEquals("unweighted_kd_loss", e.term());
        // nothing of the bad batch reached the weights
        for (float w : student.weights()) {
            assertTrue(Float.isFinite(w));
        }
        assertEquals(List.of("step-2"), checkpointSteps(out));
        CheckpointStore.open(out).open(2); // verifies every checksum
        List<MetricsRow> rows = MetricsLog.read(out.resolve(MetricsLog.FILE_NAME));
        assertEquals(4, rows.size(), "the bad batch is logged, with its NaN");
        assertTrue(Double.isNaN(rows.get(3).totalLoss()));
    }

    @Test
    void skippingANonFiniteLossDropsExactlyThatBatch() throws Exception {
        ToyModel skipped = new ToyModel(manager, 3, 2, 2);
        TrainResult[] result = new TrainResult[1];
        ToyModel teacher = new ToyModel(manager, 3, 2, 1);
        try (BasicDistiller<ToyModel.Batch> d = new BasicDistiller<>(config(tmp.resolve("skip")),
                DistillationConfig.defaults(), AdaptedModel.of(teacher, ToyModel.adaptor(false)),
                AdaptedModel.of(skipped, ToyModel.adaptor(true)))) {
            result[0] = d.train(sgd().optNonFinite(NonFinitePolicy.SKIP).build(), DataSource.of(data(3)));
        }
        assertEquals(1, result[0].skippedBatches());
        assertEquals(6, result[0].globalSteps(), "the skipped batch still counts as a step");

        // plain SGD at a constant rate: skipping a batch is the same as never having seen it
        List<ToyModel.Batch> without = new ArrayList<>(data(-1));
        without.remove(3);
        ToyModel clean = new ToyModel(manager, 3, 2, 2);
        float[] expected = train(tmp.resolve("without"), without, sgd(), null, clean);
        assertArrayEquals(expected, skipped.weights(), 0f);
        List<MetricsRow> rows = MetricsLog.read(tmp.resolve("skip").resolve(MetricsLog.FILE_NAME));
        assertEquals(6, rows.size());
        assertTrue(Double.isNaN(rows.get(3).totalLoss()), "the skipped batch's row stays in the log");
    }

    /**
     * A distiller whose loss, the norm of {@code W x}, is finite (zero) for an all-zero batch while its gradient there
     * is not.
     */
    private static final class SqrtDistiller extends Distiller<ToyModel.Batch> {
        private final ToyModel model;

        SqrtDistiller(TrainingConfig config, ToyModel model) {
            super(config, model, List.of());
            this.model = model;
        }

        @Override
        protected Object teacherForward(ToyModel.Batch batch, StepContext ctx) {
            return null;
        }

        @Override
        protected LossTerms studentLoss(ToyModel.Batch batch, Object teacher, StepContext ctx) {
            NDArray logits = model.forward(new ParameterStore(ctx.manager(), false), batch, ctx.manager(), true);
            NDArray wx = logits.sub(model.parameters().get("linear.bias").getArray());
            NDArray loss = wx.square().sum().sqrt();
            return new LossTerms(loss, Map.of("unweighted_sqrt_loss", loss));
        }
    }

    private static List<ToyModel.Batch> withZeroBatch(int index) {
        List<ToyModel.Batch> data = new ArrayList<>(ToyModel.data(6, 2, 3, 2, 7));
        data.set(index, new ToyModel.Batch(new float[2][3], new long[] {0, 1}));
        return data;
    }

    @Test
    void aNonFiniteGradientWithFiniteLossesStopsNamingTheParameter() throws Exception {
        Path out = tmp.resolve("nan-grad");
        ToyModel student = new ToyModel(manager, 3, 2, 2);
        try (SqrtDistiller d = new SqrtDistiller(config(out), student)) {
            NonFiniteException e = assertThrows(NonFiniteException.class,
                    () -> d.train(sgd().build(), DataSource.of(withZeroBatch(4))));
            assertTrue(e.getMessage().startsWith("non-finite gradient at step 5 (batch 4): the gradient of parameter "
                    + "'linear.weight' holds NaN or infinity although every loss term was finite; training stopped; "
                    + "the last good checkpoint is "), e.getMessage());
            assertEquals("gradient of linear.weight", e.term());
        }
        assertEquals(List.of("step-2", "step-4"), checkpointSteps(out));
        for (float w : student.weights()) {
            assertTrue(Float.isFinite(w));
        }
    }

    @Test
    void skippingANonFiniteGradientSkipsTheStepAndGoesOn() throws Exception {
        ToyModel student = new ToyModel(manager, 3, 2, 2);
        try (SqrtDistiller d = new SqrtDistiller(config(tmp.resolve("skip-grad")), student)) {
            TrainResult r = d.train(sgd().optNonFinite(NonFinitePolicy.SKIP).build(),
                    DataSource.of(withZeroBatch(4)));
            assertEquals(1, r.skippedBatches());
            assertEquals(6, r.globalSteps());
        }
        for (float w : student.weights()) {
            assertTrue(Float.isFinite(w));
        }
    }

    @Test
    void weightsThatOverflowAreNeverCheckpointed() throws Exception {
        Path out = tmp.resolve("overflow");
        ToyModel student = new ToyModel(manager, 3, 2, 2);
        TrainOptions.Builder<ToyModel.Batch> huge =
                TrainOptions.<ToyModel.Batch>builder(OptimizerConfig.sgd(1e300).build()).optNumEpochs(1)
                        .optNonFinite(NonFinitePolicy.SKIP);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> train(out, data(-1), huge, null, student));
        assertTrue(e.getMessage().startsWith("non-finite weights after step 2: parameter 'linear."), e.getMessage());
        assertTrue(e.getMessage().endsWith("so its checkpoint is not written; training stopped; no checkpoint had "
                + "been written yet"), e.getMessage());
        assertEquals(List.of(), checkpointSteps(out));
    }

    // ---------------------------------------------------------------------------------------- I/O while saving

    /** Delegates to a toy model; its {@code failAt}-th save writes half a file and fails as a full disk does. */
    private static final class FullDisk implements DistillModel<ToyModel.Batch, NDArray> {
        private final ToyModel model;
        private final int failAt;
        private int saves;

        FullDisk(ToyModel model, int failAt) {
            this.model = model;
            this.failAt = failAt;
        }

        @Override
        public NDArray forward(ParameterStore ps, ToyModel.Batch batch, NDManager manager, boolean training) {
            return model.forward(ps, batch, manager, training);
        }

        @Override
        public Map<String, Parameter> parameters() {
            return model.parameters();
        }

        @Override
        public void save(Path dir) throws IOException {
            if (++saves == failAt) {
                Files.createDirectories(dir);
                Files.write(dir.resolve("model.safetensors"), new byte[100]);
                throw new IOException("No space left on device");
            }
            model.save(dir);
        }

        @Override
        public void restore(Path dir) throws IOException {
            model.restore(dir);
        }
    }

    @Test
    void aFailedCheckpointWriteLeavesThePreviousCheckpointUsable() throws Exception {
        float[] straight = train(tmp.resolve("straight"), data(-1), sgd(), null, new ToyModel(manager, 3, 2, 2));

        Path out = tmp.resolve("full-disk");
        ToyModel student = new ToyModel(manager, 3, 2, 2);
        IOException e = assertThrows(IOException.class,
                () -> train(out, data(-1), sgd(), new FullDisk(student, 2), student));
        assertTrue(e.getMessage().startsWith("Could not save checkpoint step-4 into "), e.getMessage());
        assertTrue(e.getMessage().contains("(earlier checkpoints in "), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals(List.of("step-2"), checkpointSteps(out));
        CheckpointStore.open(out).open(2); // intact: every checksum verifies
        try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".tmp")), "no half-written folder");
        }

        ToyModel resumed = new ToyModel(manager, 3, 2, 2);
        float[] after = train(out, data(-1), sgd().optResume(true), null, resumed);
        assertArrayEquals(straight, after, 0f);
        assertEquals(MetricsLog.read(tmp.resolve("straight").resolve(MetricsLog.FILE_NAME)),
                MetricsLog.read(out.resolve(MetricsLog.FILE_NAME)));
    }

    // ---------------------------------------------------------------------------------------- callbacks

    @Test
    void aFailingCallbackStopsTheRunWithItsOwnExceptionAndResumeContinues() throws Exception {
        float[] straight = train(tmp.resolve("straight"), data(-1), sgd(), null, new ToyModel(manager, 3, 2, 2));

        Path out = tmp.resolve("callback");
        IllegalStateException boom = new IllegalStateException("boom");
        TrainOptions.Builder<ToyModel.Batch> failing = sgd().addCallback(new Callback() {
            @Override
            public void onStep(int step, double learningRate) {
                if (step == 3) {
                    throw boom;
                }
            }
        });
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> train(out, data(-1), failing, null, new ToyModel(manager, 3, 2, 2)));
        assertSame(boom, e, "the callback's exception propagates unchanged");
        assertEquals(3, MetricsLog.read(out.resolve(MetricsLog.FILE_NAME)).size());
        assertEquals(List.of("step-2"), checkpointSteps(out));

        float[] after = train(out, data(-1), sgd().optResume(true), null, new ToyModel(manager, 3, 2, 2));
        assertArrayEquals(straight, after, 0f);
    }

    @Test
    void aCallbackFailingAfterACheckpointKeepsThatCheckpoint() throws Exception {
        float[] straight = train(tmp.resolve("straight"), data(-1), sgd(), null, new ToyModel(manager, 3, 2, 2));

        Path out = tmp.resolve("on-checkpoint");
        TrainOptions.Builder<ToyModel.Batch> failing = sgd().addCallback(new Callback() {
            @Override
            public void onCheckpoint(DistillModel<?, ?> student, int step, Path checkpoint) {
                if (step == 4) {
                    throw new IllegalStateException("upload failed");
                }
            }
        });
        assertThrows(IllegalStateException.class,
                () -> train(out, data(-1), failing, null, new ToyModel(manager, 3, 2, 2)));
        assertEquals(List.of("step-2", "step-4"), checkpointSteps(out));
        float[] after = train(out, data(-1), sgd().optResume(true), null, new ToyModel(manager, 3, 2, 2));
        assertArrayEquals(straight, after, 0f);
    }

    // ---------------------------------------------------------------------------------------- before training

    @Test
    void theDryRunCatchesAShapeMismatchBeforeAnythingIsWritten() {
        Path out = tmp.resolve("never");
        ToyModel teacher = new ToyModel(manager, 3, 2, 1);
        ToyModel student = new ToyModel(manager, 3, 3, 2); // three classes against the teacher's two
        try (BasicDistiller<ToyModel.Batch> d = new BasicDistiller<>(config(out), DistillationConfig.defaults(),
                AdaptedModel.of(teacher, ToyModel.adaptor(false)), AdaptedModel.of(student, ToyModel.adaptor(true)))) {
            float[] before = student.weights();
            ValidationException e = assertThrows(ValidationException.class,
                    () -> d.train(sgd().build(), DataSource.of(data(-1))));
            assertTrue(e.getMessage().startsWith("the first batch does not go through the student and the losses: "),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertArrayEquals(before, student.weights(), 0f);
        }
        assertFalse(Files.exists(out), "nothing is written when the dry run fails");
    }
}
