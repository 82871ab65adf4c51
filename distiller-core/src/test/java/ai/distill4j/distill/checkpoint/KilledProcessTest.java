package ai.distill4j.distill.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a real JVM (SIGKILL) in the middle of a run and checks what it leaves on disk. */
class KilledProcessTest {

    @TempDir
    Path output;

    /** The run that gets killed: logs rows, saves step 10, then hangs halfway through writing step 20. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path out = Path.of(args[0]);
        CheckpointStore store = CheckpointStore.open(out);
        MetricsLog log = MetricsLog.create(out.resolve(MetricsLog.FILE_NAME));
        for (int b = 0; b < 20; b++) {
            log.write(b, b / 2, 0.1, 1.0 / (b + 1), Map.of("unweighted_kd_loss", 0.5));
        }
        store.save(TrainingState.of(10, 0, 20, 20, 1), dir -> Files.writeString(dir.resolve("w"), "ten"));
        for (int b = 20; b < 30; b++) {
            log.write(b, b / 2, 0.1, 1.0 / (b + 1), Map.of("unweighted_kd_loss", 0.5));
        }
        store.save(TrainingState.of(20, 0, 40, 40, 1), dir -> {
            Files.write(dir.resolve("w"), new byte[1 << 20]);
            System.out.println("HALFWAY");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aRunKilledWhileSavingKeepsItsLogRowsAndResumesFromThePreviousCheckpoint() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledProcessTest.class.getName(), output.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = lines.readLine()) != null && !line.equals("HALFWAY")) {
                seen.append(line).append('\n');
            }
            assertEquals("HALFWAY", line, "child output: " + seen);
            child.destroyForcibly(); // SIGKILL: no finally blocks, no shutdown hooks
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }

        // every row the killed run logged is there
        List<MetricsRow> rows = MetricsLog.read(output.resolve(MetricsLog.FILE_NAME));
        assertEquals(30, rows.size());
        // its half-written checkpoint is left as a temporary folder, which is not a checkpoint
        try (Stream<Path> s = Files.list(output.resolve("checkpoints"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-step-20-")));
        }

        // resuming: the store cleans up and picks step 10; the log is cut back to the checkpoint
        CheckpointStore store = CheckpointStore.open(output);
        Checkpoint latest = store.latest().orElseThrow();
        assertEquals(10, latest.step());
        assertEquals("ten", Files.readString(latest.file("w")));
        try (Stream<Path> s = Files.list(output.resolve("checkpoints"))) {
            assertEquals(List.of("latest", "step-10"),
                    s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        try (MetricsLog log = MetricsLog.append(output.resolve(MetricsLog.FILE_NAME))) {
            assertEquals(10, log.truncateAfterBatch(latest.state().lastLoggedBatch()));
        }
        assertEquals(20, MetricsLog.read(output.resolve(MetricsLog.FILE_NAME)).size());
    }
}
