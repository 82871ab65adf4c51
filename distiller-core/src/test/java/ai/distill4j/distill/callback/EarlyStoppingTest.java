package ai.distill4j.distill.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.AdaptedModel;
import ai.distill4j.distill.BasicTrainer;
import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.Trajectories;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.checkpoint.MetricMode;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.log.EvalLog;
import ai.distill4j.distill.log.EvalRow;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.io.BertModels;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation results are logged, kept as history, pick the best checkpoint and stop training early. */
class EarlyStoppingTest {

    @TempDir
    Path tmp;

    private TrainResult train(double[] scripted, int patience, List<Integer> evaluatedAt, Path out) throws Exception {
        Path data = Trajectories.copy("trajectory-general", tmp);
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = BertModels.load(data.resolve("student"), m).model();
            List<BertBatch> batches = Examples.readJsonLines(data.resolve("train.jsonl")).batches(4);
            EvaluationCallback scriptedEval = (student, step) -> {
                evaluatedAt.add(step);
                return java.util.Map.of("accuracy", scripted[evaluatedAt.size() - 1], "loss", 1.0);
            };
            TrainOptions<BertBatch> o = TrainOptions.<BertBatch>builder(OptimizerConfig.sgd(0.01).build())
                    .optNumEpochs(scripted.length)
                    .optEvaluation(Evaluation.of(scriptedEval, "accuracy", MetricMode.MAX).withPatience(patience))
                    .build();
            try (BasicTrainer<BertBatch> t = new BasicTrainer<>(
                    TrainingConfig.builder().optOutputDir(out.toString()).optKeepLastCheckpoints(1).build(),
                    AdaptedModel.of(BertDistillModel.of(model),
                            BertAdaptor.forModel(model, BertAdaptor.Attention.SCORES, true)))) {
                return t.train(o, DataSource.of(batches));
            }
        }
    }

    @Test
    void trainingStopsAfterPatienceEvaluationsWithoutImprovement() throws Exception {
        List<Integer> at = new ArrayList<>();
        Path out = tmp.resolve("stop");
        TrainResult r = train(new double[] {0.5, 0.7, 0.6, 0.65, 0.9, 0.95}, 2, at, out);
        assertTrue(r.stoppedEarly());
        assertEquals(List.of(6, 12, 18, 24), at, "one evaluation per checkpoint (6 steps per epoch)");
        assertEquals(24, r.globalSteps());
        assertEquals(4, r.history().size());
        assertEquals(0.7, r.bestMetric());
        assertEquals("step-12", r.bestCheckpoint().orElseThrow().getFileName().toString());
        List<EvalRow> rows = EvalLog.read(out.resolve("eval.jsonl"));
        assertEquals(4, rows.size());
        assertEquals(0.65, rows.get(3).metrics().get("accuracy"));
        assertTrue(Files.isDirectory(out.resolve("checkpoints/step-24")), "the newest checkpoint is kept");
        assertTrue(Files.isDirectory(out.resolve("checkpoints/step-12")), "the best checkpoint is never deleted");
        assertFalse(Files.exists(out.resolve("checkpoints/step-18")), "keep_last_checkpoints = 1 removes the rest");
    }

    @Test
    void withoutPatienceEveryEpochRuns() throws Exception {
        List<Integer> at = new ArrayList<>();
        TrainResult r = train(new double[] {0.5, 0.4, 0.3}, 0, at, tmp.resolve("all"));
        assertFalse(r.stoppedEarly());
        assertEquals(List.of(6, 12, 18), at);
        assertEquals(0.5, r.bestMetric());
        assertTrue(r.timings().get("total").toNanos() > 0);
    }
}
