package ai.distill4j.distill.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    @TempDir
    Path dir;

    private static Map<String, Double> terms(double kd, double hard) {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("unweighted_kd_loss", kd);
        t.put("unweighted_hard_label_loss", hard);
        return t;
    }

    @Test
    void writesOneObjectPerBatchWithTheLeadingKeysThenTheTermsInOrder() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            log.write(0, 0, 0.1, (double) 9.135687828063965f, terms((double) 0.6932922005653381f, 1e-05));
        }
        assertEquals("{\"batch\": 0, \"step\": 0, \"learning_rate\": 0.1, \"total_loss\": 9.135687828063965, "
                + "\"unweighted_kd_loss\": 0.6932922005653381, \"unweighted_hard_label_loss\": 1e-05}\n",
                Files.readString(file));
    }

    @Test
    void everyRowIsInTheFileAsSoonAsItIsWritten() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        MetricsLog log = MetricsLog.create(file);
        log.write(0, 0, 0.1, 1.0, Map.of());
        log.write(1, 1, 0.1, 0.5, Map.of());
        // not closed: another reader (or a run killed now) already sees both rows
        assertEquals(2, MetricsLog.read(file).size());
        log.close();
    }

    @Test
    void readsBackExactlyWhatWasWritten() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        double awkward = Math.nextUp(0.1) * 3;
        try (MetricsLog log = MetricsLog.create(file)) {
            log.write(0, 0, 2e-5, awkward, terms(Double.NaN, Double.POSITIVE_INFINITY));
        }
        MetricsRow row = MetricsLog.read(file).get(0);
        assertEquals(awkward, row.totalLoss());
        assertEquals(2e-5, row.learningRate());
        assertTrue(Double.isNaN(row.terms().get("unweighted_kd_loss")));
        assertEquals(Double.POSITIVE_INFINITY, row.terms().get("unweighted_hard_label_loss"));
        assertEquals(List.of("unweighted_kd_loss", "unweighted_hard_label_loss"), List.copyOf(row.terms().keySet()));
    }

    @Test
    void truncateAfterBatchKeepsTheCheckpointedRowsAndContinuesAsOneRun() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            for (int b = 0; b < 10; b++) {
                log.write(b, b / 2, 0.1, 10 - b, Map.of());
            }
        }
        try (MetricsLog log = MetricsLog.append(file)) {
            assertEquals(9, log.lastBatch());
            assertEquals(4, log.truncateAfterBatch(5));
            for (int b = 6; b < 12; b++) {
                log.write(b, b / 2, 0.1, 100 + b, Map.of());
            }
        }
        List<MetricsRow> rows = MetricsLog.read(file);
        assertEquals(12, rows.size());
        for (int b = 0; b < 12; b++) {
            assertEquals(b, rows.get(b).batch());
        }
        assertEquals(5.0, rows.get(5).totalLoss());
        assertEquals(106.0, rows.get(6).totalLoss());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("metrics.jsonl"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    void truncateToMinusOneDropsEveryRow() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            log.write(0, 0, 0.1, 1, Map.of());
            assertEquals(1, log.truncateAfterBatch(-1));
            log.write(0, 0, 0.1, 2, Map.of());
        }
        assertEquals(2.0, MetricsLog.read(file).get(0).totalLoss());
    }

    @Test
    void refusesABatchThatDoesNotFollowTheLastOne() throws IOException {
        try (MetricsLog log = MetricsLog.create(dir.resolve("metrics.jsonl"))) {
            log.write(3, 1, 0.1, 1, Map.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> log.write(3, 1, 0.1, 1, Map.of()));
            assertTrue(e.getMessage().contains("truncateAfterBatch"), e.getMessage());
        }
        try (MetricsLog log = MetricsLog.append(dir.resolve("metrics.jsonl"))) {
            assertThrows(IllegalArgumentException.class, () -> log.write(2, 1, 0.1, 1, Map.of()));
        }
    }

    @Test
    void refusesATermNamedLikeALeadingKey() throws IOException {
        try (MetricsLog log = MetricsLog.create(dir.resolve("metrics.jsonl"))) {
            assertThrows(IllegalArgumentException.class, () -> log.write(0, 0, 0.1, 1, Map.of("step", 1.0)));
        }
    }

    @Test
    void appendingDropsALineTornByACrash() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            log.write(0, 0, 0.1, 1, Map.of());
        }
        Files.writeString(file, "{\"batch\": 1, \"step\": 0, \"learn", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertEquals(1, MetricsLog.read(file).size());
        try (MetricsLog log = MetricsLog.append(file)) {
            log.write(1, 1, 0.1, 2, Map.of());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("{\"batch\": 1, \"step\": 1,"), lines.get(1));
    }

    @Test
    void createReplacesAnOldLog() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"batch\": 0, \"step\": 0, \"learning_rate\": 1.0, \"total_loss\": 1.0}\n");
        try (MetricsLog log = MetricsLog.create(file)) {
            log.write(0, 0, 0.5, 3, Map.of());
        }
        assertEquals(0.5, MetricsLog.read(file).get(0).learningRate());
        assertEquals(1, MetricsLog.read(file).size());
    }
}
