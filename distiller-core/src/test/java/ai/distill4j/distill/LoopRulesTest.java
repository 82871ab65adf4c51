package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.callback.Callback;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins TextBrewer's loop rules: optimizer steps, checkpoints and callback calls for epochs/steps/accumulation. */
class LoopRulesTest {

    @TempDir
    Path tmp;

    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Records every callback call. */
    static final class Recorder implements Callback {
        final List<Integer> checkpoints = new ArrayList<>();
        final List<Integer> steps = new ArrayList<>();
        final List<Integer> epochEnds = new ArrayList<>();

        @Override
        public void onCheckpoint(DistillModel<?, ?> student, int step, Path checkpoint) {
            checkpoints.add(step);
        }

        @Override
        public void onStep(int step, double learningRate) {
            steps.add(step);
        }

        @Override
        public void onEpochEnd(int epoch, int step) {
            epochEnds.add(epoch);
        }
    }

    private Recorder run(TrainingConfig.Builder tc, int batches, Integer epochs, Integer steps) throws Exception {
        String name = "run-" + System.nanoTime();
        TrainingConfig config = tc.optOutputDir(tmp.resolve(name).toString()).build();
        ToyModel teacher = new ToyModel(manager, 3, 2, 1);
        ToyModel student = new ToyModel(manager, 3, 2, 2);
        Recorder rec = new Recorder();
        TrainOptions.Builder<ToyModel.Batch> o = TrainOptions.<ToyModel.Batch>builder(OptimizerConfig.sgd(0.1).build())
                .addCallback(rec);
        if (epochs != null) {
            o.optNumEpochs(epochs);
        }
        if (steps != null) {
            o.optNumSteps(steps);
        }
        try (BasicDistiller<ToyModel.Batch> d = new BasicDistiller<>(config, DistillationConfig.defaults(),
                AdaptedModel.of(teacher, ToyModel.adaptor(false)), AdaptedModel.of(student, ToyModel.adaptor(true)))) {
            TrainResult r = d.train(o.build(), DataSource.of(ToyModel.data(batches, 2, 3, 2, 7)));
            assertEquals(rec.steps.size(), r.globalSteps(), "optimizer steps in the result");
            List<MetricsRow> rows = MetricsLog.read(tmp.resolve(name).resolve("metrics.jsonl"));
            assertEquals(r.batches(), rows.size(), "one metrics row per forward batch");
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(i, rows.get(i).batch());
            }
        }
        return rec;
    }

    @Test
    void epochModeStepsOncePerAccumulationWindowAndDropsTheTrailingPartialWindow() throws Exception {
        // 7 batches, gas 3: 2 optimizer steps per epoch (batches 0-2, 3-5); batch 6 is forwarded, then discarded
        Recorder rec = run(TrainingConfig.builder().optGradientAccumulationSteps(3), 7, 2, null);
        assertEquals(List.of(1, 2, 3, 4), rec.steps);
        assertEquals(List.of(2, 4), rec.checkpoints, "ckpt_frequency 1: once at the end of every epoch");
        assertEquals(List.of(0, 1), rec.epochEnds);
    }

    @Test
    void ckptFrequencyTwoSavesMidEpochAndAtTheEnd() throws Exception {
        // spe = 4, checkpoints at offsets [0, 2] of every epoch
        Recorder rec = run(TrainingConfig.builder().optCkptFrequency(2), 4, 2, null);
        assertEquals(8, rec.steps.size());
        assertEquals(List.of(2, 4, 6, 8), rec.checkpoints);
    }

    @Test
    void ckptEpochFrequencySkipsEpochsButAlwaysSavesTheLast() throws Exception {
        Recorder rec = run(TrainingConfig.builder().optCkptEpochFrequency(2), 3, 3, null);
        assertEquals(List.of(6, 9), rec.checkpoints, "epoch 2 (index 1) and the last epoch");
    }

    @Test
    void stepModeCyclesTheDataAndSavesEveryCkptStepsAndAtTheEnd() throws Exception {
        // gas 2, 5 steps = 10 forward batches over passes of 3 batches
        Recorder rec = run(TrainingConfig.builder().optGradientAccumulationSteps(2).optCkptSteps(2), 3, null, 5);
        assertEquals(List.of(1, 2, 3, 4, 5), rec.steps);
        assertEquals(List.of(2, 4, 5), rec.checkpoints);
        assertEquals(List.of(0, 1, 2), rec.epochEnds, "passes that ended: after batches 3, 6 and 9");
    }

    @Test
    void numStepsWinsOverNumEpochs() throws Exception {
        Recorder rec = run(TrainingConfig.builder().optCkptSteps(10), 4, 5, 3);
        assertEquals(List.of(1, 2, 3), rec.steps);
        assertEquals(List.of(3), rec.checkpoints);
    }

    @Test
    void numStepsWithoutCkptStepsIsRejectedBeforeTraining() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(TrainingConfig.builder(), 4, null, 3));
        assertTrue(e.getMessage().startsWith("training_config.ckpt_steps = null: it is required"), e.getMessage());
    }

    @Test
    void accumulationLargerThanAnEpochIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(TrainingConfig.builder().optGradientAccumulationSteps(5), 4, 1, null));
        assertTrue(e.getMessage().contains("gradient_accumulation_steps = 5"), e.getMessage());
    }

    @Test
    void trainingLeavesNoArraysInTheModelsManager() throws Exception {
        ToyModel teacher = new ToyModel(manager, 3, 2, 1);
        ToyModel student = new ToyModel(manager, 3, 2, 2);
        int before = manager.getManagedArrays().size();
        TrainingConfig config = TrainingConfig.builder().optOutputDir(tmp.resolve("leak").toString())
                .optGradientAccumulationSteps(2).build();
        try (GeneralDistiller<ToyModel.Batch> d = new GeneralDistiller<>(config,
                DistillationConfig.builder().optHardLabelWeight(1).build(),
                AdaptedModel.of(teacher, ToyModel.adaptor(false)), AdaptedModel.of(student, ToyModel.adaptor(true)))) {
            d.train(TrainOptions.<ToyModel.Batch>builder(OptimizerConfig.adamW(0.01).build()).optNumEpochs(3)
                    .optMaxGradNorm(1).build(), DataSource.of(ToyModel.data(6, 2, 3, 2, 7)));
        }
        assertEquals(before, manager.getManagedArrays().size(), "per-step arrays never land in the model's manager");
    }

    @Test
    void planMatchesTextBrewersCheckpointArithmetic() {
        // spe = 100, ckpt_frequency 3 -> offsets [0, 33, 66]
        Distiller.Plan p = new Distiller.Plan(false, 2, 100, 200, 0, 1, 3, 1);
        List<Integer> saved = new ArrayList<>();
        for (int step = 1; step <= 200; step++) {
            if (p.checkpointAfter(step, (step - 1) / 100)) {
                saved.add(step);
            }
        }
        assertEquals(List.of(33, 66, 100, 133, 166, 200), saved);
    }
}
