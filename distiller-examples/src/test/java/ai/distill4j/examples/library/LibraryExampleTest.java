package ai.distill4j.examples.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.DistillationLoss;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.callback.EvaluationRecord;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import ai.distill4j.examples.TinyTeacherFixture;
import ai.distill4j.model.bert.BertConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the program docs/library.md quotes on a tiny 12-layer teacher. */
class LibraryExampleTest {

    @Test
    void theLibraryExampleEvaluatesTwicePerEpochAndSavesTheBestSixLayerStudent(@TempDir Path tmp) throws Exception {
        TinyTeacherFixture f = TinyTeacherFixture.create(tmp, 64, 32);
        Path out = tmp.resolve("run");
        TrainResult result = LibraryExample.run(f.teacherDir, f.trainTsv, f.devTsv, out);

        List<Integer> steps = result.history().stream().map(EvaluationRecord::step).toList();
        int k = steps.size();
        assertTrue(k >= 1 && k <= 6, steps.toString());
        for (int i = 0; i < k; i++) {
            assertEquals(2 * (i + 1), steps.get(i), "ckpt_frequency 2: two evaluations per epoch of 4 batches");
        }
        assertEquals(2 * k, result.globalSteps());
        for (EvaluationRecord r : result.history()) {
            assertTrue(r.metrics().keySet().containsAll(List.of("accuracy", "eval_loss", "agreement")), r.toString());
            double agreement = r.metrics().get("agreement");
            assertTrue(agreement >= 0 && agreement <= 1, r.toString());
        }
        int bestIndex = 0;
        for (int i = 1; i < k; i++) {
            if (result.history().get(i).metrics().get("agreement")
                    > result.history().get(bestIndex).metrics().get("agreement")) {
                bestIndex = i;
            }
        }
        if (result.stoppedEarly()) {
            assertEquals(k - 1 - 4, bestIndex, "patience 4: stopped after four evaluations without improvement");
        } else {
            assertEquals(6, k, "without early stopping all 3 epochs run");
            assertTrue(k - 1 - bestIndex < 4, "no four evaluations in a row without improvement");
        }
        double best = result.history().stream().mapToDouble(r -> r.metrics().get("agreement")).max().orElseThrow();
        assertEquals(best, result.bestMetric());
        assertTrue(result.timings().containsKey("total"), result.timings().toString());

        Path saved = out.resolve("student");
        assertTrue(Files.isRegularFile(saved.resolve("tokenizer.json")));
        assertEquals(6, BertConfig.read(saved.resolve("config.json")).numHiddenLayers());
        List<MetricsRow> rows = MetricsLog.read(out.resolve(MetricsLog.FILE_NAME));
        assertEquals(2 * k, rows.size(), "one metrics row per forward batch");
        assertTrue(rows.get(0).terms().keySet().containsAll(List.of(DistillationLoss.KD, DistillationLoss.HARD_LABEL)),
                rows.get(0).terms().toString());
    }
}
