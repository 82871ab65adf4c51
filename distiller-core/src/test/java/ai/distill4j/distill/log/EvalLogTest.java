package ai.distill4j.distill.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalLogTest {

    @TempDir
    Path dir;

    @Test
    void writesStepThenMetricsInOrder() throws IOException {
        Path file = dir.resolve("eval.jsonl");
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.8125);
        metrics.put("eval_loss", 0.44710001);
        try (EvalLog log = EvalLog.create(file)) {
            log.write(200, metrics);
        }
        assertEquals("{\"step\": 200, \"accuracy\": 0.8125, \"eval_loss\": 0.44710001}\n", Files.readString(file));
        assertEquals(List.of(new EvalRow(200, metrics)), EvalLog.read(file));
    }

    @Test
    void truncateAfterStepDropsLaterEvaluations() throws IOException {
        Path file = dir.resolve("eval.jsonl");
        try (EvalLog log = EvalLog.create(file)) {
            for (long step = 100; step <= 400; step += 100) {
                log.write(step, Map.of("accuracy", step / 1000.0));
            }
        }
        try (EvalLog log = EvalLog.append(file)) {
            assertEquals(2, log.truncateAfterStep(200));
            log.write(300, Map.of("accuracy", 0.9));
        }
        List<EvalRow> rows = EvalLog.read(file);
        assertEquals(List.of(100L, 200L, 300L), rows.stream().map(EvalRow::step).toList());
        assertEquals(0.9, rows.get(2).metrics().get("accuracy"));
    }

    @Test
    void refusesAStepThatGoesBack() throws IOException {
        try (EvalLog log = EvalLog.create(dir.resolve("eval.jsonl"))) {
            log.write(10, Map.of());
            log.write(10, Map.of("again", 1.0));
            assertThrows(IllegalArgumentException.class, () -> log.write(9, Map.of()));
            assertThrows(IllegalArgumentException.class, () -> log.write(11, Map.of("step", 1.0)));
        }
    }
}
