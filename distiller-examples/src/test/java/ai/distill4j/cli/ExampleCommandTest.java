package ai.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.examples.embedding.EmbeddingObjective;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleCommandTest {

    @Test
    void theExampleGroupListsItsThreeExamples() {
        CliRun r = CliRun.of("example", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        for (String name : List.of("embedding", "multi-teacher", "custom-model")) {
            assertTrue(r.out().contains("  " + name + " "), r.toString());
        }
    }

    @Test
    void withoutAnExampleNameTheUsageGoesToStderrWithTheUsageExitCode() {
        CliRun r = CliRun.of("example");
        assertEquals(Distill4jCli.EXIT_USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("multi-teacher"), r.toString());
    }

    @Test
    void anUnknownStudentKindFailsWithOneErrorLineBeforeAnyWork() {
        CliRun r = CliRun.of("example", "embedding", "--student", "wide", "--work", "target/never-written");
        assertEquals(Distill4jCli.EXIT_FAILURE, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().stream().filter(l -> l.contains("error:")).count(), r.toString());
        assertTrue(r.err().contains("--student = wide"), r.toString());
    }

    @Test
    void badSettingsNameTheFieldAndTheValue() {
        CliRun r = CliRun.of("example", "multi-teacher", "--teacher-seeds", "1,1");
        assertEquals(Distill4jCli.EXIT_FAILURE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("teacher_seeds = [1, 1]: seeds must differ"), r.toString());
        CliRun k = CliRun.of("example", "custom-model", "--kernel", "4");
        assertEquals(Distill4jCli.EXIT_FAILURE, k.exitCode(), k.toString());
        assertTrue(k.err().contains("kernel = 4"), k.toString());
    }

    @Test
    void allExpandsToEveryObjectiveInOrder() {
        assertEquals(List.of(EmbeddingObjective.values()),
                EmbeddingExampleCommand.parseObjectives(List.of("all")));
        assertEquals(List.of(EmbeddingObjective.MSE, EmbeddingObjective.MSE_CKD),
                EmbeddingExampleCommand.parseObjectives(List.of("mse", "mse+ckd")));
    }
}
