package ai.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartCommandTest {

    @TempDir
    Path tmp;

    @Test
    void quickstartIsListedAndExplainsItsOptions() {
        CliRun top = CliRun.of("--help");
        assertEquals(0, top.exitCode(), top.toString());
        assertTrue(top.out().contains("  quickstart "), top.out());
        CliRun help = CliRun.of("quickstart", "--help");
        assertEquals(0, help.exitCode(), help.toString());
        for (String option : new String[] {"--output", "--full", "--smoke", "--cache", "--data", "--no-progress"}) {
            assertTrue(help.out().contains(option), option + " in\n" + help.out());
        }
        assertTrue(help.out().contains("runs/quickstart"), "the default output folder is shown");
    }

    @Test
    void fullAndSmokeTogetherIsAUsageError() {
        CliRun run = CliRun.of("quickstart", "--full", "--smoke", "--output", tmp.resolve("out").toString());
        assertEquals(Distill4jCli.EXIT_USAGE, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().size(), run.toString());
        assertTrue(run.err().contains("mutually exclusive"), run.err());
    }

    @Test
    void aFolderWithOtherFilesIsRefusedBeforeAnyWork() throws Exception {
        Path out = tmp.resolve("precious");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "keep me");
        CliRun run = CliRun.of("quickstart", "--smoke", "--output", out.toString(), "--cache",
                tmp.resolve("cache").toString());
        assertEquals(Distill4jCli.EXIT_FAILURE, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().size(), run.toString());
        assertTrue(run.err().startsWith("distill4j quickstart: error: output folder "), run.err());
        assertEquals("keep me", Files.readString(out.resolve("notes.txt")));
        assertTrue(Files.notExists(tmp.resolve("cache")), "nothing was imported");
    }
}
