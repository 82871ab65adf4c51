package ai.distill4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import ai.distill4j.distill.run.RunFile;
import ai.distill4j.distill.run.RunResult;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole quickstart in its smoke preset (about a minute on two cores), then its run file. */
@Tag("slow")
class QuickstartSmokeTest {

    @TempDir
    static Path tmp;

    private static Path out;
    private static Path cache;
    private static QuickstartReport report;
    private static String log;

    @BeforeAll
    static void runTheSmokeQuickstart() throws Exception {
        out = tmp.resolve("out");
        cache = tmp.resolve("cache");
        StringWriter sw = new StringWriter();
        report = Quickstart.builder().optSettings(QuickstartSettings.smoke()).optCache(new ModelCache(cache))
                .optLog(new PrintWriter(sw, true)).build().run(out);
        log = sw.toString();
    }

    @Test
    void everyOutputIsWritten() {
        for (String f : List.of(QuickstartLayout.REPORT_MD, QuickstartLayout.REPORT_JSON, QuickstartLayout.RUN_FILE,
                QuickstartLayout.TRAIN_TSV, QuickstartLayout.DEV_TSV, QuickstartLayout.TEST_TSV,
                QuickstartLayout.plot("teacher"), QuickstartLayout.plot("distilled"), QuickstartLayout.plot("baseline"),
                "student/config.json", "student/model.safetensors", "student/tokenizer.json", "baseline/config.json",
                "teacher/model.safetensors", "runs/distill/metrics.jsonl", "runs/distill/eval.jsonl",
                "runs/baseline/eval.jsonl", "runs/teacher/eval.jsonl")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("runs/distill/checkpoints")), "checkpoints are removed once saved");
        assertTrue(ModelCache.isModelFolder(cache.resolve(ModelCache.BASE_TEACHER)));
        assertTrue(new ModelCache(cache).hasTunedTeacher(QuickstartSettings.smoke().teacherKey()));
    }

    @Test
    void reportHasTheThreeRowsAndTheRetentionLine() throws Exception {
        assertEquals(List.of("teacher", "distilled student", "baseline student"),
                report.rows().stream().map(ModelResult::name).toList());
        assertEquals(6, report.teacher().layers());
        assertEquals(3, report.distilled().layers());
        assertTrue(report.distilled().parameters() < report.teacher().parameters());
        assertEquals(report.distilled().parameters(), report.baseline().parameters());
        assertEquals(16, report.teacher().test().examples());
        for (ModelResult r : report.rows()) {
            assertEquals(1, r.devHistory().size(), r.name() + ": one dev evaluation per epoch");
            assertTrue(r.devHistory().get(0).metrics().containsKey("f1"));
            assertTrue(r.batch1().msPerExample() > 0 && r.batch32().msPerExample() > 0);
        }
        assertEquals(report.distilled().test().accuracy() / report.teacher().test().accuracy(), report.retention());
        String table = report.table();
        assertTrue(table.contains("student retains "), table);
        assertTrue(table.endsWith("of the teacher's test accuracy\n"), table);
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve(QuickstartLayout.REPORT_JSON)))
                .getAsJsonObject();
        assertEquals(report.retention(), json.get("retention").getAsDouble());
        assertEquals("smoke", json.getAsJsonObject("settings").get("preset").getAsString());
        assertTrue(Files.readString(out.resolve(QuickstartLayout.REPORT_MD)).contains("| distilled student | 3 |"));
        assertTrue(log.contains("[4/4]"), log);
    }

    @Test
    void exportedStudentReloadsWithTheSamePredictions() throws Exception {
        assertEquals(0, report.reloadDisagreements());
        try (NDManager m = NDManager.newBaseManager()) {
            LoadedBert student = BertModels.load(out.resolve(QuickstartLayout.STUDENT), m);
            assertEquals(BertHead.SEQUENCE_CLASSIFICATION, student.model().head());
            assertEquals(3, student.config().numHiddenLayers());
            assertEquals(Map.of(0, "ham", 1, "spam"), student.config().id2label());
            LabeledTexts test = LabeledTexts.of(ai.distill4j.examples.data.SpamDataset.read(
                    ai.distill4j.examples.data.SpamDataset.locate(),
                    ai.distill4j.examples.data.SpamDataset.Split.TEST)).sample(16, 42);
            Predictions p = ClassifierEvaluator.predict(student.model(),
                    test.tokenize(student.tokenizerJson(), 32).batches(8));
            assertEquals(report.distilled().test().accuracy(), p.metrics().accuracy(), 1e-12);
            assertEquals(report.distilled().testSpam().f1(), p.evaluationMetrics().get("f1"), 1e-12);
        }
    }

    @Test
    void runFileReproducesTheDistillationStage() throws Exception {
        RunFile run = RunFile.read(out.resolve(QuickstartLayout.RUN_FILE));
        assertEquals(new QuickstartRecipe(QuickstartSettings.smoke()).distillationConfig(), run.distillationConfig());
        RunResult result = run.run(false);
        List<MetricsRow> viaRunFile = MetricsLog.read(result.metricsFile());
        List<MetricsRow> quickstart = MetricsLog.read(out.resolve(QuickstartLayout.DISTILL_RUN)
                .resolve(MetricsLog.FILE_NAME));
        assertEquals(quickstart.size(), viaRunFile.size());
        for (int i = 0; i < quickstart.size(); i++) {
            assertEquals(quickstart.get(i).totalLoss(), viaRunFile.get(i).totalLoss(),
                    1e-5 * Math.abs(quickstart.get(i).totalLoss()), "batch " + i);
        }
        assertTrue(Files.readString(result.evalFile(), StandardCharsets.UTF_8).contains("accuracy"));
    }
}
