package ai.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code distill --run} trains from a run file, and {@code --resume} on a finished run changes nothing. */
class DistillCommandTest {

    @TempDir
    Path tmp;

    private int execute(StringWriter out, String... args) {
        CommandLine cl = new CommandLine(new DistillCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void runsARunFileAndResumesAFinishedRunWithoutChange() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            BertConfig config = BertConfig.builder().vocabSize(50).hiddenSize(16).numHiddenLayers(2)
                    .numAttentionHeads(2).intermediateSize(32).maxPositionEmbeddings(16).build();
            BertModel teacher = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 1, m);
            BertModels.save(teacher, tmp.resolve("teacher"));
        }
        Random r = new Random(3);
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            data.append("{\"input_ids\": [2");
            for (int k = 0; k < 6; k++) {
                data.append(", ").append(4 + r.nextInt(40));
            }
            data.append(", 3], \"attention_mask\": [1, 1, 1, 1, 1, 1, 1, 1], \"label\": ").append(i % 2).append("}\n");
        }
        Files.writeString(tmp.resolve("train.jsonl"), data);
        Files.writeString(tmp.resolve("run.json"), """
                {"distiller": "GeneralDistiller", "teacher": "teacher", "student": {"from_teacher": {"layers": [1]}},
                 "train_data": "train.jsonl", "batch_size": 4, "num_epochs": 2, "seed": 1, "progress_bar": false,
                 "optimizer": {"name": "adamw", "lr": 0.001}, "hard_label_loss": "ce",
                 "training_config": {"output_dir": "out"},
                 "distillation_config": {"intermediate_matches": [
                   {"layer_T": 2, "layer_S": 1, "feature": "hidden", "loss": "hidden_mse", "weight": 1}]}}
                """);
        StringWriter out = new StringWriter();
        assertEquals(0, execute(out, "--run", tmp.resolve("run.json").toString()), out.toString());
        assertTrue(out.toString().startsWith("steps: 4, forward batches: 4"), out.toString());
        assertEquals(4, Files.readAllLines(tmp.resolve("out/metrics.jsonl")).size());
        String before = Files.readString(tmp.resolve("out/metrics.jsonl"));
        StringWriter again = new StringWriter();
        assertEquals(0, execute(again, "--run", tmp.resolve("run.json").toString(), "--resume"));
        assertTrue(again.toString().startsWith("steps: 4, forward batches: 4, resumed from step 4"), again.toString());
        assertEquals(before, Files.readString(tmp.resolve("out/metrics.jsonl")));
    }
}
