package ai.distill4j.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.checkpoint.CheckpointStore;
import ai.distill4j.distill.log.EvalLog;
import ai.distill4j.distill.log.EvalRow;
import ai.distill4j.examples.TinyTeacherFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's program on a tiny 12-layer teacher. */
class ReadmeExampleTest {

    @Test
    void theReadmeProgramDistillsForThreeEpochsEvaluatingAndKeepingTheBestCheckpoint(@TempDir Path tmp)
            throws Exception {
        TinyTeacherFixture f = TinyTeacherFixture.create(tmp, 64, 32);
        Path out = tmp.resolve("run");
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ReadmeExample.main(new String[] {f.teacherDir.toString(), f.trainTsv.toString(), f.devTsv.toString(),
                    out.toString()});
        } finally {
            System.setOut(stdout);
        }
        List<EvalRow> evaluations = EvalLog.read(out.resolve(EvalLog.FILE_NAME));
        assertEquals(List.of(2L, 4L, 6L), evaluations.stream().map(EvalRow::step).toList(),
                "the callback ran at the checkpoint of each epoch (2 batches of 32 per epoch)");
        for (EvalRow row : evaluations) {
            double accuracy = row.metrics().get("accuracy");
            assertTrue(accuracy >= 0 && accuracy <= 1, row.toString());
        }
        String printed = captured.toString(StandardCharsets.UTF_8).trim();
        assertTrue(printed.startsWith("best accuracy "), printed);
        Path best = Path.of(printed.substring(printed.lastIndexOf(" in ") + 4));
        assertTrue(best.startsWith(out.resolve(CheckpointStore.DIRECTORY)), best.toString());
        assertTrue(Files.isRegularFile(best.resolve("student").resolve("model.safetensors")), best.toString());
    }
}
