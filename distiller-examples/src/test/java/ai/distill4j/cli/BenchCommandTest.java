package ai.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void helpListsTheBenchmarkOptions() {
        CliRun run = CliRun.of("bench", "--help");
        assertEquals(0, run.exitCode(), run.toString());
        for (String option : List.of("--steps", "--warmup", "--threads", "--batch", "--seq", "--inference",
                "--cache-epochs", "--rss-every", "--profile")) {
            assertTrue(run.out().contains(option), option + " missing from\n" + run.out());
        }
    }

    @Test
    void badSizesAreOneLineErrors() {
        CliRun run = CliRun.of("bench", "--threads", "0");
        assertEquals(Distill4jCli.EXIT_FAILURE, run.exitCode(), run.toString());
        assertEquals(List.of("distill4j bench: error: threads = 0: must be >= 1"), run.errLines());
    }

    /** Imports the bundled all-MiniLM-L6-v2 and trains two tiny steps: the smoke run, in-process. */
    @Test
    @Tag("slow")
    void smokeRunPrintsOneJsonLineLast() {
        CliRun run = CliRun.of("bench", "--steps", "2", "--warmup", "1", "--batch", "2", "--seq", "16",
                "--threads", "1", "--inference");
        assertEquals(0, run.exitCode(), run.toString());
        String[] lines = run.out().strip().split("\\R");
        JsonObject json = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        assertEquals("distill4j", json.get("system").getAsString());
        assertEquals(1, json.get("threads").getAsInt());
        for (String key : List.of("samples_per_s", "ms_per_step", "gflops", "gemm_peak_gflops", "mfu",
                "peak_rss_mb", "teacher_ms_b1", "student_ms_b1", "teacher_ms_b2", "student_ms_b2", "speedup_b2")) {
            assertTrue(json.has(key) && json.get(key).getAsDouble() > 0, key + " in " + json);
        }
        assertTrue(run.err().contains("teacher imported from the bundled all-MiniLM-L6-v2"), run.err());
    }
}
