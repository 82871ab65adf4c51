package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.Trajectories;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every distiller runs from a run file; caching and averaging of identical teachers change no value. */
class RunFileTest {

    @TempDir
    Path tmp;

    private Path variant(String name, Consumer<JsonObject> edit) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Path base = Trajectories.copy("trajectory-general", dir);
        JsonObject run = JsonParser.parseString(Files.readString(base.resolve("run.json"))).getAsJsonObject();
        run.addProperty("progress_bar", false);
        edit.accept(run);
        Files.writeString(base.resolve("run.json"), run.toString());
        return base.resolve("run.json");
    }

    private List<MetricsRow> run(Path runFile) throws Exception {
        RunResult r = RunFile.read(runFile).run(false);
        return MetricsLog.read(r.metricsFile());
    }

    @Test
    void cachingTeacherLogitsChangesNoValue() throws Exception {
        List<MetricsRow> plain = run(variant("plain", r -> { }));
        List<MetricsRow> cached = run(variant("cached", r ->
                r.getAsJsonObject("distillation_config").addProperty("is_caching_logits", true)));
        assertEquals(plain, cached);
    }

    @Test
    void multiTeacherWithTwoCopiesOfOneTeacherEqualsBasicDistiller() throws Exception {
        Consumer<JsonObject> basicConfig = r -> r.getAsJsonObject("distillation_config").remove("intermediate_matches");
        List<MetricsRow> basic = run(variant("basic", r -> {
            basicConfig.accept(r);
            r.addProperty("distiller", "BasicDistiller");
        }));
        List<MetricsRow> multi = run(variant("multi", r -> {
            basicConfig.accept(r);
            r.addProperty("distiller", "MultiTeacherDistiller");
            r.remove("teacher");
            JsonArray t = new JsonArray();
            t.add("teacher");
            t.add("teacher");
            r.add("teachers", t);
        }));
        assertEquals(12, basic.size());
        assertEquals(basic.size(), multi.size());
        for (int i = 0; i < basic.size(); i++) {
            for (String k : basic.get(i).terms().keySet()) {
                assertEquals(basic.get(i).terms().get(k), multi.get(i).terms().get(k), 1e-6, "row " + i + " " + k);
            }
            assertEquals(basic.get(i).totalLoss(), multi.get(i).totalLoss(), 1e-6);
        }
    }

    @Test
    void basicTrainerLogsOnlyTheTotalLoss() throws Exception {
        List<MetricsRow> rows = run(variant("trainer", r -> {
            r.addProperty("distiller", "BasicTrainer");
            r.remove("teacher");
            r.remove("distillation_config");
        }));
        assertEquals(12, rows.size());
        assertTrue(rows.get(0).terms().isEmpty());
        assertTrue(rows.get(11).totalLoss() < rows.get(0).totalLoss(), "supervised training lowers the loss");
    }

    @Test
    void multiTaskDistillerTrainsByStepsOverTasks() throws Exception {
        Path runFile = variant("multitask", r -> {
            r.addProperty("distiller", "MultiTaskDistiller");
            JsonObject tasks = new JsonObject();
            for (String name : List.of("a", "b")) {
                JsonObject t = new JsonObject();
                t.addProperty("teacher", "teacher");
                t.addProperty("train_data", "train.jsonl");
                tasks.add(name, t);
            }
            r.add("tasks", tasks);
            r.remove("teacher");
            r.remove("train_data");
            r.remove("num_epochs");
            r.addProperty("num_steps", 5);
            r.getAsJsonObject("training_config").addProperty("ckpt_steps", 2);
            r.getAsJsonObject("training_config").addProperty("gradient_accumulation_steps", 2);
        });
        RunResult result = RunFile.read(runFile).run(false);
        assertEquals(5, result.training().globalSteps());
        assertEquals(10, MetricsLog.read(result.metricsFile()).size());
        assertTrue(Files.isDirectory(result.outputDir().resolve("checkpoints/step-5")));
        assertTrue(Files.isDirectory(result.outputDir().resolve("checkpoints/step-4")));
    }

    @Test
    void evalDataAddsAccuracyPerCheckpoint() throws Exception {
        RunResult r = RunFile.read(variant("eval", run -> run.addProperty("eval_data", "train.jsonl"))).run(false);
        assertEquals(2, r.training().history().size());
        double acc = r.training().history().get(1).metrics().get("accuracy");
        assertTrue(acc >= 0 && acc <= 1);
        assertTrue(r.training().bestCheckpoint().isPresent());
        assertTrue(Files.size(r.outputDir().resolve("loss-curves.png")) > 0);
    }

    @Test
    void invalidRunFilesAreRejectedBeforeTraining() throws Exception {
        String m = assertThrows(IllegalArgumentException.class, () -> RunFile.read(variant("bad1", r ->
                r.getAsJsonObject("training_config").addProperty("device", "cuda")))).getMessage();
        assertTrue(m.startsWith("training_config.device = 'cuda'"), m);
        String steps = assertThrows(IllegalArgumentException.class, () -> RunFile.read(variant("bad2", r -> {
            r.remove("num_epochs");
            r.addProperty("num_steps", 10);
        }))).getMessage();
        assertTrue(steps.startsWith("training_config.ckpt_steps = null: it is required with num_steps"), steps);
        String layer = assertThrows(IllegalArgumentException.class, () -> RunFile.read(variant("bad3", r ->
                r.getAsJsonObject("distillation_config").getAsJsonArray("intermediate_matches").get(0)
                        .getAsJsonObject().addProperty("layer_S", 7))).run(false)).getMessage();
        assertEquals("distillation_config.intermediate_matches[0].layer_S = 7: layer 7 is out of range: the "
                + "student's 'hidden' list has 3 entries (0..2)", layer);
    }
}
