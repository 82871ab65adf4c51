package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.Trajectories;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        Path dir = Trajectories.copy(name, tmp);
        RunResult result = RunFile.read(dir.resolve("run.json")).run(false);
        List<JsonObject> expected = Trajectories.readRows(dir.resolve("expected-metrics.jsonl"));
        List<JsonObject> actual = Trajectories.readRows(result.metricsFile());
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
}
