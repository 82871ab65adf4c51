package ai.distill4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j example}: the group of example programs ({@code embedding}, {@code multi-teacher},
 * {@code custom-model}); each trains with a modest default budget, prints its measured results and has a
 * {@code --smoke} mode of a few batches for CI.
 *
 * @since 0.1.0
 */
@Command(
        name = "example",
        mixinStandardHelpOptions = true,
        description = {
            "Run an example program (embedding, multi-teacher or custom-model).",
            "embedding: task-agnostic compression of a sentence-embedding model;",
            "multi-teacher: several teachers distilled into one student (spam task);",
            "custom-model: a custom (non-BERT) student. See docs/examples.md."
        },
        commandListHeading = "%nExamples:%n",
        subcommands = {
            EmbeddingExampleCommand.class,
            MultiTeacherExampleCommand.class,
            CustomModelExampleCommand.class
        },
        footer = {"", "Run 'distill4j example <name> --help' for an example's options;",
            "'--smoke' runs a few batches."})
public final class ExampleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Picocli instantiates this. */
    public ExampleCommand() {}

    /** Without an example name: the usage on stderr and the usage exit code. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Distill4jCli.EXIT_USAGE;
    }
}
