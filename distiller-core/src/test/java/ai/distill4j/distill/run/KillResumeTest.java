package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.Trajectories;
import ai.distill4j.distill.checkpoint.Checkpoint;
import ai.distill4j.distill.checkpoint.CheckpointStore;
import ai.distill4j.model.io.SafetensorsReader;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real child JVMs (SIGKILL) running a run file at several moments, including in the middle of writing a
 * checkpoint, resumes each time with {@code --resume} semantics ({@code RunFile.run(true)}), and checks that the
 * chain ends with the same weights, the same {@code metrics.jsonl} and the same {@code eval.jsonl} as an
 * uninterrupted run.
 *
 * <p>The child freezes its training thread at the chosen moment (so the moment is exact, not a race), writes a
 * marker file, and is then killed by the parent with {@link Process#destroyForcibly()}: no finally blocks, no
 * shutdown hooks, files exactly as the kernel has them.
 */
class KillResumeTest {

    @TempDir
    Path tmp;

    private int children;

    /**
     * The child: {@code <run.json> <resume> <kill spec> <marker>}. Kill specs: {@code rows:N} freezes once
     * metrics.jsonl holds at least N rows; {@code checkpoint:K} freezes while the folder of checkpoint K (or, when
     * the machine is so busy that K completes before the trainer is frozen, of a later one) is still being written.
     *
     * @param args the arguments
     * @throws Exception when the run fails
     */
    public static void main(String[] args) throws Exception {
        Path runFile = Path.of(args[0]);
        boolean resume = Boolean.parseBoolean(args[1]);
        String[] kill = args[2].split(":");
        Path marker = Path.of(args[3]);
        RunFile run = RunFile.read(runFile);
        Path out = run.outputDir();
        Thread trainer = Thread.currentThread();
        Thread watcher = new Thread(() -> watch(trainer, out, kill[0], Integer.parseInt(kill[1]), marker));
        watcher.setDaemon(true);
        watcher.start();
        run.run(resume);
        Files.writeString(marker, "finished without being killed");
    }

    @SuppressWarnings("removal") // Thread.suspend freezes the trainer at an exact point; test code only
    private static void watch(Thread trainer, Path out, String kind, int n, Path marker) {
        try {
            while (true) {
                if (kind.equals("rows") && rows(out.resolve("metrics.jsonl")) >= n) {
                    trainer.suspend();
                    Files.writeString(marker, "frozen after " + rows(out.resolve("metrics.jsonl")) + " rows");
                    return;
                }
                if (kind.equals("checkpoint")) {
                    Path partial = writing(out.resolve("checkpoints"), n);
                    if (partial != null) {
                        trainer.suspend();
                        if (Files.exists(partial)) {
                            Files.writeString(marker, "frozen while writing " + partial.getFileName());
                            return;
                        }
                        trainer.resume(); // it finished before it could be frozen (a busy machine): try the next one
                        n += 2;
                    }
                }
                Thread.onSpinWait();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int rows(Path metrics) throws IOException {
        if (!Files.exists(metrics)) {
            return 0;
        }
        int n = 0;
        for (byte b : Files.readAllBytes(metrics)) {
            n += b == '\n' ? 1 : 0;
        }
        return n;
    }

    private static Path writing(Path checkpoints, int step) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return null;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(checkpoints, ".tmp-step-" + step + "-*")) {
            for (Path p : s) {
                return p;
            }
        }
        return null;
    }

    /** Starts a child, waits until it has frozen itself at the kill point, then SIGKILLs it. */
    private String killAt(Path runFile, boolean resume, String spec) throws Exception {
        String name = spec.replace(':', '-') + "-" + (++children);
        Path marker = tmp.resolve("marker-" + name);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path")));
        for (String p : List.of("ai.djl.offline", "DJL_CACHE_DIR", "ai.djl.pytorch.num_threads",
                "ai.djl.pytorch.num_interop_threads")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of(KillResumeTest.class.getName(), runFile.toString(), String.valueOf(resume), spec,
                marker.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child-" + name + ".log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(20); // the marker is written completely
            String state = Files.exists(marker) ? Files.readString(marker) : "no marker; child alive: "
                    + child.isAlive() + "; log: " + Files.readString(tmp.resolve("child-" + name + ".log"));
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            return state;
        } finally {
            child.destroyForcibly();
        }
    }

    /** Kills a child once it has logged at least {@code rows} rows (one per step here); checks what is on disk. */
    private void killAfterRows(Path runFile, boolean resume, int rows) throws Exception {
        String state = killAt(runFile, resume, "rows:" + rows);
        assertTrue(state.startsWith("frozen after "), state);
        int logged = Integer.parseInt(state.replaceAll("\\D", ""));
        assertTrue(logged >= rows, state);
        long latest = CheckpointStore.open(RunFile.read(runFile).outputDir()).latest().orElseThrow().step();
        // checkpoints come every 2 steps; the one of the last logged step may be complete or not yet
        assertTrue(latest <= logged && latest >= logged - 2, "latest checkpoint " + latest + " after " + state);
    }

    private Path runFile(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path base = Trajectories.copy("trajectory-general", dir);
        JsonObject run = JsonParser.parseString(Files.readString(base.resolve("run.json"))).getAsJsonObject();
        run.addProperty("progress_bar", false);
        run.addProperty("shuffle", true);
        run.addProperty("seed", 5);
        run.addProperty("num_epochs", 3);
        run.addProperty("eval_data", "train.jsonl");
        JsonObject optimizer = new JsonObject();
        optimizer.addProperty("name", "adamw");
        optimizer.addProperty("lr", 0.01);
        optimizer.addProperty("weight_decay", 0.01);
        optimizer.addProperty("warmup_proportion", 0.1);
        optimizer.addProperty("schedule", "linear");
        run.add("optimizer", optimizer);
        run.addProperty("max_grad_norm", 1.0);
        run.getAsJsonObject("training_config").addProperty("ckpt_frequency", 3); // every 2 of the 18 steps
        Files.writeString(base.resolve("run.json"), run.toString());
        return base.resolve("run.json");
    }

    private static Map<String, float[]> finalWeights(Path out) throws IOException {
        Checkpoint last = CheckpointStore.open(out).latest().orElseThrow();
        assertEquals(18, last.step());
        Map<String, float[]> w = new LinkedHashMap<>();
        for (String file : List.of("student/model.safetensors", "trainer.safetensors")) {
            try (SafetensorsReader r = SafetensorsReader.open(last.file(file))) {
                for (String name : r.tensors().keySet()) {
                    w.put(file + ":" + name, r.readFloats(name));
                }
            }
        }
        return w;
    }

    @Test
    void runsKilledAtSeveralMomentsResumeToTheUninterruptedResult() throws Exception {
        Path straight = runFile("straight");
        RunFile reference = RunFile.read(straight);
        reference.run(false);

        Path chain = runFile("killed");
        Path out = RunFile.read(chain).outputDir();
        killAfterRows(chain, false, 5);
        String writing = killAt(chain, true, "checkpoint:8");
        assertTrue(writing.startsWith("frozen while writing .tmp-step-"), writing);
        int k = Integer.parseInt(writing.replaceAll("^frozen while writing \\.tmp-step-(\\d+)-.*$", "$1"));
        try (DirectoryStream<Path> s = Files.newDirectoryStream(out.resolve("checkpoints"), ".tmp-step-" + k + "-*")) {
            assertTrue(s.iterator().hasNext(), "the half-written checkpoint is on disk");
        }
        assertEquals(k - 2, CheckpointStore.open(out).latest().orElseThrow().step(), "step " + k + " is not complete");
        killAfterRows(chain, true, 15);
        long last = CheckpointStore.open(out).latest().orElseThrow().step();
        RunResult resumed = RunFile.read(chain).run(true);
        assertEquals(last, resumed.training().resumedFromStep());

        Map<String, float[]> a = finalWeights(reference.outputDir());
        Map<String, float[]> b = finalWeights(out);
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), 0f, name);
        }
        for (String log : List.of("metrics.jsonl", "eval.jsonl")) {
            assertEquals(Files.readString(reference.outputDir().resolve(log), StandardCharsets.UTF_8),
                    Files.readString(out.resolve(log), StandardCharsets.UTF_8), log);
        }
        assertEquals(18, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    }
}
