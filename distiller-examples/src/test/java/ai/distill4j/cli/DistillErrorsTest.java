package ai.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distill4j distill} with bad input exits with status 1 and exactly one line on stderr naming the field or
 * the file and line, the value and the rule; {@code --verbose} adds the stack trace.
 */
class DistillErrorsTest {

    @TempDir
    Path tmp;

    private static final String RUN = """
            {"distiller": "GeneralDistiller", "teacher": "teacher", "student": {"from_teacher": {"layers": [1]}},
             "train_data": "train.jsonl", "batch_size": 4, "num_epochs": 1, "seed": 1, "progress_bar": false,
             "optimizer": {"name": "sgd", "lr": 0.01}, "hard_label_loss": "ce",
             "training_config": {"output_dir": "out"},
             "distillation_config": {"temperature": TEMP, "intermediate_matches": [
               {"layer_T": 2, "layer_S": 1, "feature": "hidden", "loss": "hidden_mse", "weight": 1}]}}
            """;

    @BeforeEach
    void files() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            BertConfig config = BertConfig.builder().vocabSize(50).hiddenSize(16).numHiddenLayers(2)
                    .numAttentionHeads(2).intermediateSize(32).maxPositionEmbeddings(16).build();
            BertModel teacher = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 1, m);
            BertModels.save(teacher, tmp.resolve("teacher"));
        }
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            int bad = i == 5 ? 77 : 9;
            data.append("{\"input_ids\": [2, 5, ").append(bad).append(", 3], \"label\": ").append(i % 2).append("}\n");
        }
        Files.writeString(tmp.resolve("train.jsonl"), data);
    }

    private Path runFile(String temperature) throws IOException {
        return Files.writeString(tmp.resolve("run.json"), RUN.replace("TEMP", temperature));
    }

    @Test
    void aBadConfigValueIsOneLineWithoutAStackTrace() throws Exception {
        CliRun r = CliRun.of("distill", "--run", runFile("0").toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(List.of("distill4j distill: error: distillation_config.temperature = 0: the temperature must be a "
                + "finite number > 0"), r.errLines());
        assertEquals("", r.out());
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        CliRun r = CliRun.of("distill", "--run", runFile("0").toString(), "--verbose");
        assertEquals(1, r.exitCode());
        assertTrue(r.errLines().size() > 3, r.toString());
        assertTrue(r.err().contains("ai.distill4j.ValidationException"), r.err());
        assertTrue(r.err().contains("\tat ai.distill4j."), r.err());
    }

    @Test
    void aBadDataLineNamesFileAndLineAndNothingIsWritten() throws Exception {
        CliRun r = CliRun.of("distill", "--run", runFile("2").toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(List.of("distill4j distill: error: " + tmp.resolve("train.jsonl") + ":6: input_ids[2] = 77: "
                + "token id outside the vocabulary of the student (vocab_size 50)"), r.errLines());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aMissingRunFileIsOneLine() {
        CliRun r = CliRun.of("distill", "--run", tmp.resolve("nope.json").toString());
        assertEquals(1, r.exitCode());
        assertEquals(List.of("distill4j distill: error: run file not found: " + tmp.resolve("nope.json")),
                r.errLines());
    }

    @Test
    void aRealProcessPrintsExactlyOneLineOnStderr() throws Exception {
        Path run = runFile("-1");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "-Dorg.slf4j.simpleLogger.log.ai.distill4j=info", Distill4jCli.class.getName(), "distill", "--run",
                run.toString()));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertEquals("distill4j distill: error: distillation_config.temperature = -1: the temperature must be a "
                + "finite number > 0\n", err);
    }
}
