package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.ValidationException;
import ai.distill4j.distill.Trajectories;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad run files, models and data fail with one {@link ValidationException} line naming the field or the file and
 * line, the value and the rule, before training starts and before anything is written into the output folder. The
 * base run is trajectory-general: a 4-layer teacher and a 2-layer student of width 32, vocabulary 120, 24 examples
 * of 16 tokens.
 */
class RunFileValidationTest {

    @TempDir
    Path tmp;

    private Path dir;

    private Path variant(Consumer<JsonObject> edit) throws Exception {
        dir = tmp.resolve("case");
        Files.createDirectories(dir);
        Path base = Trajectories.copy("trajectory-general", dir);
        dir = base;
        JsonObject run = JsonParser.parseString(Files.readString(base.resolve("run.json"))).getAsJsonObject();
        run.addProperty("progress_bar", false);
        edit.accept(run);
        Files.writeString(base.resolve("run.json"), run.toString());
        return base.resolve("run.json");
    }

    private String readError(Consumer<JsonObject> edit) throws Exception {
        return RunFileErrors.onRead(variant(edit));
    }

    private String runError(Consumer<JsonObject> edit) throws Exception {
        return RunFileErrors.onRun(variant(edit));
    }

    private static JsonObject match(JsonObject run, int i) {
        return run.getAsJsonObject("distillation_config").getAsJsonArray("intermediate_matches").get(i)
                .getAsJsonObject();
    }

    private static JsonObject randomStudent(JsonObject run, int hidden, int heads, int maxPositions, int labels) {
        JsonObject config = new JsonObject();
        config.addProperty("vocab_size", 120);
        config.addProperty("hidden_size", hidden);
        config.addProperty("num_hidden_layers", 2);
        config.addProperty("num_attention_heads", heads);
        config.addProperty("intermediate_size", 2 * hidden);
        config.addProperty("max_position_embeddings", maxPositions);
        config.addProperty("num_labels", labels);
        JsonObject student = new JsonObject();
        student.add("config", config);
        student.addProperty("init", "random");
        run.add("student", student);
        return config;
    }

    @Test
    void unknownFieldsWrongTypesAndUnknownNames() throws Exception {
        String field = readError(r -> r.addProperty("num_epoch", 3));
        assertTrue(field.startsWith("num_epoch is not a known field; did you mean 'num_epochs'? (known fields: ["),
                field);
        assertEquals("batch_size = \"4\": must be a number", readError(r -> r.addProperty("batch_size", "4")));
        assertEquals("distiller = 'GeneralDistiler': unknown distiller; known names are [BasicDistiller, "
                + "BasicTrainer, GeneralDistiller, MultiTaskDistiller, MultiTeacherDistiller]; did you mean "
                + "'GeneralDistiller'?", readError(r -> r.addProperty("distiller", "GeneralDistiler")));
        String loss = readError(r -> match(r, 0).addProperty("loss", "hidden_mes"));
        assertTrue(loss.startsWith("distillation_config.intermediate_matches[0].loss = 'hidden_mes': unknown "
                + "intermediate-match loss; known names are ["), loss);
        assertTrue(loss.endsWith("did you mean 'hidden_mse'?"), loss);
        String sched = readError(r -> r.getAsJsonObject("distillation_config")
                .addProperty("kd_loss_weight_scheduler", "linear_grwth"));
        assertTrue(sched.startsWith("distillation_config.kd_loss_weight_scheduler = 'linear_grwth': unknown weight "
                + "scheduler"), sched);
        assertTrue(sched.endsWith("did you mean 'linear_growth'?"), sched);
        String nested = readError(r -> r.getAsJsonObject("optimizer").addProperty("weight_decy", 0.01));
        assertTrue(nested.startsWith("optimizer.weight_decy is not a known field; did you mean 'weight_decay'?"),
                nested);
        assertEquals("non_finite = 'ignore': must be \"stop\" or \"skip\"",
                readError(r -> r.addProperty("non_finite", "ignore")));
        assertEquals("long_sequences = 'cut': must be \"reject\" or \"truncate\"",
                readError(r -> r.addProperty("long_sequences", "cut")));
    }

    @Test
    void ruleViolationsInTheConfigs() throws Exception {
        assertEquals("distillation_config.temperature = 0: the temperature must be a finite number > 0",
                readError(r -> r.getAsJsonObject("distillation_config").addProperty("temperature", 0)));
        assertEquals("distillation_config.intermediate_matches[2].weight = -0.5: must be a finite number >= 0",
                readError(r -> match(r, 2).addProperty("weight", -0.5)));
        assertEquals("distillation_config.hard_label_weight = -1: must be a finite number >= 0",
                readError(r -> r.getAsJsonObject("distillation_config").addProperty("hard_label_weight", -1)));
        String pair = readError(r -> {
            match(r, 5).addProperty("layer_T", 2);
            match(r, 5).addProperty("layer_S", 1);
        });
        assertTrue(pair.startsWith("distillation_config.intermediate_matches[5]: "), pair);
        assertTrue(pair.contains("loss 'mmd' takes a pair of layers"), pair);
        assertEquals("training_config.ckpt_steps = null: it is required with num_steps (10)", readError(r -> {
            r.remove("num_epochs");
            r.addProperty("num_steps", 10);
        }));
    }

    @Test
    void missingOrUnusablePathsAreFoundBeforeAnythingLoads() throws Exception {
        String teacher = runError(r -> r.addProperty("teacher", "no-such-teacher"));
        assertEquals("teacher = 'no-such-teacher': " + dir.resolve("no-such-teacher") + " does not exist", teacher);
        String data = runError(r -> r.addProperty("train_data", "missing.jsonl"));
        assertEquals("train_data = 'missing.jsonl': " + dir.resolve("missing.jsonl") + " does not exist", data);
        String folder = runError(r -> r.addProperty("train_data", "teacher"));
        assertEquals("train_data = 'teacher': " + dir.resolve("teacher") + " is a folder; expected a data file",
                folder);
        String file = runError(r -> r.addProperty("student", "train.jsonl"));
        assertEquals("student = 'train.jsonl': " + dir.resolve("train.jsonl") + " is a file; expected a model folder "
                + "with config.json and model.safetensors", file);
        Path f = variant(r -> { });
        Files.delete(dir.resolve("teacher").resolve("config.json"));
        RunFile parsed = RunFile.read(f); // reading needs no file the run names
        assertEquals("teacher = 'teacher': " + dir.resolve("teacher") + " has no readable config.json",
                assertThrows(ValidationException.class, parsed::checkFiles).getMessage());
        assertEquals("student = 7: must be a string (a path relative to the run file)",
                readError(r -> r.addProperty("student", 7)));
    }

    @Test
    void theOutputFolderIsCheckedBeforeTheModelsLoad() throws Exception {
        Path f = variant(r -> r.getAsJsonObject("training_config").addProperty("output_dir", "train.jsonl/out"));
        String m = assertThrows(ValidationException.class, () -> RunFile.read(f).run(false)).getMessage();
        assertEquals("training_config.output_dir = '" + dir.resolve("train.jsonl/out") + "': cannot be created: "
                + dir.resolve("train.jsonl") + " is a file, not a folder", m);

        Path again = variant(r -> { });
        Files.createDirectories(dir.resolve("out/checkpoints/step-6"));
        String other = assertThrows(ValidationException.class, () -> RunFile.read(again).run(false)).getMessage();
        assertEquals("training_config.output_dir = '" + dir.resolve("out") + "': already holds another run "
                + "(checkpoints/step-6); continue it with --resume (optResume(true)) or choose an empty output_dir",
                other);
    }

    @Test
    void matchesThatDoNotFitTheModels() throws Exception {
        assertEquals("distillation_config.intermediate_matches[4].layer_S = 2: layer 2 is out of range: the "
                + "student's 'attention' list has 2 entries (0..1)",
                runError(r -> match(r, 4).addProperty("layer_S", 2)));
        String width = runError(r -> randomStudent(r, 16, 2, 32, 2));
        assertEquals("distillation_config.intermediate_matches[0]: the student's 'hidden' width (16) differs from the "
                + "teacher's (32) and loss 'hidden_mse' compares them element by element; add \"proj\": "
                + "[\"linear\", 16, 32]", width);
    }

    private static void rewriteLine(Path file, int line, String from, String to) throws Exception {
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(line - 1).contains(from));
        lines.set(line - 1, lines.get(line - 1).replaceFirst(java.util.regex.Pattern.quote(from), to));
        Files.write(file, lines);
    }

    @Test
    void dataThatDoesNotFitTheModels() throws Exception {
        Path f = variant(r -> { });
        Path data = dir.resolve("train.jsonl");
        rewriteLine(data, 3, "[101, ", "[101, 500, ");
        rewriteLine(data, 3, ", 0, 0]", ", 0]"); // keep the length
        String vocab = assertThrows(ValidationException.class, () -> RunFile.read(f).run(false)).getMessage();
        assertTrue(vocab.startsWith(data + ":3: input_ids[1] = 500: token id outside the vocabulary of the student "
                + "(vocab_size 120)"), vocab);

        Path g = variant(r -> { });
        List<String> lines = Files.readAllLines(dir.resolve("train.jsonl"));
        lines.set(4, lines.get(4).replaceAll("\"label\": \\d", "\"label\": 2"));
        Files.write(dir.resolve("train.jsonl"), lines);
        assertEquals(dir.resolve("train.jsonl") + ":5: label = 2: the student has num_labels = 2 (labels 0..1)",
                assertThrows(ValidationException.class, () -> RunFile.read(g).run(false)).getMessage());

        String tooLong = runError(r -> {
            randomStudent(r, 32, 4, 8, 2);
            r.getAsJsonObject("distillation_config").add("intermediate_matches", new JsonArray());
        });
        assertEquals(dir.resolve("train.jsonl") + ":1: the examples are 16 tokens long but the student accepts at "
                + "most max_position_embeddings = 8 positions; shorten them or set \"long_sequences\": "
                + "\"truncate\"", tooLong);
    }

    @Test
    void longExamplesAreTruncatedWhenAsked() throws Exception {
        Path f = variant(r -> {
            randomStudent(r, 32, 4, 8, 2);
            r.getAsJsonObject("distillation_config").add("intermediate_matches", new JsonArray());
            r.addProperty("long_sequences", "truncate");
            r.addProperty("num_epochs", 1);
        });
        RunResult result = RunFile.read(f).run(false);
        assertEquals(6, result.training().globalSteps());
    }

    @Test
    void theDryRunCatchesWhatOnlyTheForwardPassShows() throws Exception {
        // three classes against the teacher's two: no static rule covers the logits, the KD loss does
        String m = runError(r -> {
            randomStudent(r, 32, 4, 32, 3);
            r.getAsJsonObject("distillation_config").add("intermediate_matches", new JsonArray());
        });
        assertTrue(m.startsWith("the first batch does not go through the student and the losses: "), m);
    }
}
