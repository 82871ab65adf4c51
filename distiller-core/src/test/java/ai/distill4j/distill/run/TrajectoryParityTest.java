package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PARITY: running each golden trajectory's run file reproduces every value TextBrewer logged for it within 1e-4
 * relative.
 */
class TrajectoryParityTest {

    static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"trajectory-general", "trajectory-schedules"})
    void runFileReproducesTextBrewersMetrics(String name) throws Exception {
        Path dir = copyTrajectory(name, tmp);
        RunResult result = RunFile.read(dir.resolve("run.json")).run(false);
        List<JsonObject> expected = readRows(dir.resolve("expected-metrics.jsonl"));
        List<JsonObject> actual = readRows(result.metricsFile());
        assertEquals(expected.size(), actual.size(), "number of logged batches");
        double worst = 0;
        String worstAt = "";
        for (int i = 0; i < expected.size(); i++) {
            JsonObject e = expected.get(i);
            JsonObject a = actual.get(i);
            for (Map.Entry<String, com.google.gson.JsonElement> kv : e.entrySet()) {
                assertTrue(a.has(kv.getKey()), "row " + i + " lacks " + kv.getKey() + ": " + a);
                double want = kv.getValue().getAsDouble();
                double got = a.get(kv.getKey()).getAsDouble();
                double rel = Math.abs(got - want) / Math.max(Math.abs(want), 1e-12);
                if (rel > worst) {
                    worst = rel;
                    worstAt = "batch " + i + " " + kv.getKey() + ": expected " + want + ", got " + got;
                }
            }
        }
        System.out.printf("%s: %d rows, worst relative deviation %.3e (%s)%n", name, expected.size(), worst, worstAt);
        assertTrue(worst <= TOLERANCE, name + ": worst relative deviation " + worst + " at " + worstAt);
    }

    /** Copies a trajectory folder from the test resources into a writable folder. */
    static Path copyTrajectory(String name, Path target) throws IOException, URISyntaxException {
        Path source = Path.of(TrajectoryParityTest.class.getResource("/trajectories/" + name).toURI());
        Path dest = target.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path q = dest.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dest;
    }

    static List<JsonObject> readRows(Path file) throws IOException {
        List<JsonObject> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                rows.add(JsonParser.parseString(line.replace("NaN", "\"NaN\"")).getAsJsonObject());
            }
        }
        return rows;
    }

    @SuppressWarnings("unused")
    private static InputStream unused() {
        return null;
    }
}
