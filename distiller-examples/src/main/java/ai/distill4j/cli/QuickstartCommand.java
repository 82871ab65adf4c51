package ai.distill4j.cli;

import ai.distill4j.examples.quickstart.ModelCache;
import ai.distill4j.examples.quickstart.Quickstart;
import ai.distill4j.examples.quickstart.QuickstartLayout;
import ai.distill4j.examples.quickstart.QuickstartReport;
import ai.distill4j.examples.quickstart.QuickstartSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j quickstart}: fine-tunes the bundled all-MiniLM-L6-v2 on the spam task, distills it into a 3-layer
 * student, trains the same student without a teacher, and prints the comparison on the test split (see
 * {@link Quickstart}).
 *
 * @since 0.1.0
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Distill a spam classifier end to end; compare teacher, student, baseline.",
            "Fine-tunes the bundled all-MiniLM-L6-v2 (cached), distills it into a",
            "3-layer student with KD, hard labels, hidden-state and CKD relation losses,",
            "trains the same student without a teacher, and prints accuracy, F1, size",
            "and speed on the test split. The default run takes minutes on two cores."
        },
        footer = {
            "",
            "Examples:",
            "  distill4j quickstart",
            "  distill4j quickstart --output runs/qs --smoke",
            "  distill4j quickstart --full --output runs/quickstart-full",
            "Outputs: report.md/json, loss-curves-*.png, student/ (HuggingFace folder),",
            "run.json. Docs: docs/getting-started.md"
        })
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "runs/quickstart",
            description = "Where the report, the students and the logs go (default: ${DEFAULT-VALUE}). Re-running"
                    + " into the same folder replaces the earlier quickstart outputs.")
    private Path output;

    @ArgGroup(exclusive = true)
    private Size size;

    static final class Size {
        @Option(names = "--full", description = "The full-size recipe: every email, more epochs (hours on two cores).")
        boolean full;

        @Option(names = "--smoke", description = "A few batches of tiny subsets, to check that everything runs"
                + " (about a minute; the numbers mean nothing).")
        boolean smoke;
    }

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where the imported and the fine-tuned teachers are kept (default: ~/.cache/distill4j).")
    private Path cache;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The folder with the spam splits train/dev/test.tsv.gz (default: data/spam of the checkout).")
    private Path data;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    private boolean noProgress;

    /** Picocli instantiates this. */
    public QuickstartCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QuickstartSettings settings = size == null ? QuickstartSettings.defaults()
                : size.full ? QuickstartSettings.full() : QuickstartSettings.smoke();
        StringBuilder command = new StringBuilder("./distill4j quickstart");
        if (size != null) {
            command.append(size.full ? " --full" : " --smoke");
        }
        command.append(" --output ").append(output);
        Quickstart quickstart = Quickstart.builder()
                .optSettings(settings)
                .optCache(cache != null ? new ModelCache(cache) : ModelCache.defaultCache())
                .optDataDir(data)
                .optLog(err)
                .optProgressBar(!noProgress)
                .optCommand(command.toString())
                .build();
        QuickstartReport report = quickstart.run(output);
        out.println();
        out.print(report.table());
        out.printf("baseline student (no teacher) retains %.1f%% of the teacher's test accuracy%n",
                100 * report.baselineRetention());
        out.printf("exported student %s reloads with %s%n", output.resolve(QuickstartLayout.STUDENT),
                report.reloadDisagreements() == 0 ? "the same test predictions"
                        : report.reloadDisagreements() + " DIFFERENT test predictions");
        out.printf("report: %s, %s; curves: %s; run file: %s%n", output.resolve(QuickstartLayout.REPORT_MD),
                output.resolve(QuickstartLayout.REPORT_JSON), output.resolve(QuickstartLayout.plot("*")),
                output.resolve(QuickstartLayout.RUN_FILE));
        out.printf("wall time %.1f s (%s)%n", report.totalSeconds(), report.teacher().fromCache()
                ? "fine-tuned teacher from the cache" : "teacher fine-tuned and cached");
        return report.reloadDisagreements() == 0 ? 0 : Distill4jCli.EXIT_FAILURE;
    }
}
