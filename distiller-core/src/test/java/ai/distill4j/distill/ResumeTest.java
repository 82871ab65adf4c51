package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.callback.Callback;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.Projection;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed in the middle and resumed ends with the same weights and the same log as an uninterrupted one. */
class ResumeTest {

    @TempDir
    Path tmp;

    /** Thrown by the interrupting callback, standing in for a killed process. */
    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("killed");
        }
    }

    private Map<String, float[]> train(Path data, Path out, boolean resume, int killAtStep) throws Exception {
        try (NDManager models = NDManager.newBaseManager()) {
            BertModel teacher = BertModels.load(data.resolve("teacher"), models).model();
            BertConfig sc = teacher.config().toBuilder().numHiddenLayers(2).hiddenSize(16).intermediateSize(32)
                    .hiddenDropoutProb(0.1).attentionProbsDropoutProb(0.1).build();
            BertModel student = Students.random(sc, BertHead.SEQUENCE_CLASSIFICATION, 5, models);
            DistillationConfig dc = DistillationConfig.builder()
                    .optTemperature(2)
                    .optHardLabelWeight(1)
                    .optKdLossWeightScheduler("linear_decay")
                    .addIntermediateMatch(IntermediateMatch.builder().setLayers(2, 1).setFeature("hidden")
                            .setLoss("hidden_mse").setWeight(1)
                            .optProj(new Projection("linear", 16, 32, Map.of("lr", 0.003))).build())
                    .addIntermediateMatch(IntermediateMatch.of(3, 1, "attention", "attention_mse", 1))
                    .build();
            TrainingConfig tc = TrainingConfig.builder().optOutputDir(out.toString())
                    .optGradientAccumulationSteps(2).optCkptFrequency(3).build();
            List<BertBatch> batches = Examples.readJsonLines(data.resolve("train.jsonl")).batches(2);
            TrainOptions.Builder<BertBatch> o = TrainOptions.<BertBatch>builder(
                            OptimizerConfig.adamW(0.01).optWeightDecay(0.01).optWarmupProportion(0.2)
                                    .optSchedule("linear").build())
                    .optNumEpochs(2).optMaxGradNorm(1.0).optSeed(11).optResume(resume);
            if (killAtStep > 0) {
                o.addCallback(new Callback() {
                    @Override
                    public void onStep(int step, double learningRate) {
                        if (step == killAtStep) {
                            throw new Killed();
                        }
                    }
                });
            }
            try (GeneralDistiller<BertBatch> d = new GeneralDistiller<>(tc, dc,
                    AdaptedModel.of(BertDistillModel.of(teacher),
                            BertAdaptor.forModel(teacher, BertAdaptor.Attention.PROBS, false)),
                    AdaptedModel.of(BertDistillModel.of(student),
                            BertAdaptor.forModel(student, BertAdaptor.Attention.PROBS, true)))) {
                d.train(o.build(), DataSource.shuffled(batches, 3));
                Map<String, float[]> w = new LinkedHashMap<>();
                for (Map.Entry<String, Parameter> e : student.namedParameters().entrySet()) {
                    w.put(e.getKey(), e.getValue().getArray().toFloatArray());
                }
                for (Map.Entry<String, Parameter> e : d.projectionLayers().get(0).parameters().entrySet()) {
                    w.put("proj." + e.getKey(), e.getValue().getArray().toFloatArray());
                }
                return w;
            }
        }
    }

    @Test
    void killedAndResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws Exception {
        Path data = Trajectories.copy("trajectory-general", tmp);
        // 12 batches of 2, gas 2: 6 steps per epoch, 12 in all; ckpt_frequency 3: checkpoints every 2 steps
        Map<String, float[]> straight = train(data, tmp.resolve("straight"), false, 0);

        Path out = tmp.resolve("interrupted");
        assertThrows(Killed.class, () -> train(data, out, false, 9));
        List<MetricsRow> partial = MetricsLog.read(out.resolve("metrics.jsonl"));
        assertEquals(18, partial.size(), "rows up to the batch of step 9 survive the kill");
        Map<String, float[]> resumed = train(data, out, true, 0);

        assertEquals(straight.keySet(), resumed.keySet());
        for (String name : straight.keySet()) {
            assertArrayEquals(straight.get(name), resumed.get(name), 0f, name);
        }
        List<MetricsRow> a = MetricsLog.read(tmp.resolve("straight").resolve("metrics.jsonl"));
        List<MetricsRow> b = MetricsLog.read(out.resolve("metrics.jsonl"));
        assertEquals(a, b, "the resumed log reads as one uninterrupted run");
        assertTrue(b.get(b.size() - 1).step() == 12);
    }

    @Test
    void resumingAFinishedRunChangesNothing() throws Exception {
        Path data = Trajectories.copy("trajectory-general", tmp);
        Path out = tmp.resolve("done");
        Map<String, float[]> first = train(data, out, false, 0);
        List<MetricsRow> before = MetricsLog.read(out.resolve("metrics.jsonl"));
        Map<String, float[]> again = train(data, out, true, 0);
        for (String name : first.keySet()) {
            if (!name.startsWith("proj.")) {
                assertArrayEquals(first.get(name), again.get(name), 0f, name);
            }
        }
        assertEquals(before, MetricsLog.read(out.resolve("metrics.jsonl")));
    }

    @Test
    void freshRunRefusesAnOutputDirWithCheckpoints() throws Exception {
        Path data = Trajectories.copy("trajectory-general", tmp);
        Path out = tmp.resolve("twice");
        train(data, out, false, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> train(data, out, false, 0));
        assertTrue(e.getMessage().contains("already holds checkpoint"), e.getMessage());
    }

    @SuppressWarnings("unused")
    private static List<String> names(List<?> l) {
        return new ArrayList<>();
    }
}
