package ai.distill4j.distill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder is checked before anything is written, and the check itself leaves nothing behind. */
class OutputFolderTest {

    @TempDir
    Path tmp;

    private String message(Path dir, boolean resume) {
        return assertThrows(ValidationException.class, () -> OutputFolder.check(dir, "training_config.output_dir",
                resume)).getMessage();
    }

    @Test
    void aMissingFolderPassesAndIsNotCreated() throws Exception {
        Path dir = tmp.resolve("a/b/c");
        OutputFolder.check(dir, "training_config.output_dir", false);
        assertFalse(Files.exists(tmp.resolve("a")), "the probe removes what it created");
        Files.createDirectories(tmp.resolve("empty"));
        OutputFolder.check(tmp.resolve("empty"), "training_config.output_dir", false);
        try (Stream<Path> s = Files.list(tmp.resolve("empty"))) {
            assertEquals(0, s.count(), "the probe file is gone");
        }
    }

    @Test
    void aFileIsNotAFolder() throws Exception {
        Path file = Files.writeString(tmp.resolve("out"), "x");
        assertEquals("training_config.output_dir = '" + file + "': exists and is not a folder", message(file, false));
        assertEquals("training_config.output_dir = '" + file.resolve("run") + "': cannot be created: " + file
                + " is a file, not a folder", message(file.resolve("run"), true));
    }

    @Test
    void anUnwritablePlaceIsRefused() {
        Path proc = Path.of("/proc/self/distill4j-output");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            String m = message(proc, false);
            assertTrue(m.startsWith("training_config.output_dir = '/proc/self/distill4j-output': not writable ("), m);
        }
    }

    @Test
    void anotherRunIsRefusedUnlessResuming() throws Exception {
        Path out = tmp.resolve("run");
        Files.createDirectories(out.resolve("checkpoints/step-4"));
        Files.writeString(out.resolve("metrics.jsonl"), "{}\n");
        assertEquals("training_config.output_dir = '" + out + "': already holds another run (checkpoints/step-4, "
                + "metrics.jsonl); continue it with --resume (optResume(true)) or choose an empty output_dir",
                message(out, false));
        OutputFolder.check(out, "training_config.output_dir", true);
        Path logOnly = tmp.resolve("killed-before-first-checkpoint");
        Files.createDirectories(logOnly);
        Files.writeString(logOnly.resolve("metrics.jsonl"), "{}\n");
        assertTrue(message(logOnly, false).contains("already holds another run (metrics.jsonl)"));
    }
}
