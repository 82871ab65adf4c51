package ai.distill4j.cli;

import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.run.RunFile;
import ai.distill4j.distill.run.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j distill --run RUN.json [--resume]}: runs a distillation described by a run file (any of the five
 * distillers; format in docs/configuration.md), writing {@code metrics.jsonl}, {@code eval.jsonl}, checkpoints,
 * TensorBoard events and {@code loss-curves.png} into the run's {@code training_config.output_dir}.
 *
 * @since 0.1.0
 */
@Command(
        name = "distill",
        mixinStandardHelpOptions = true,
        description = {
            "Run a distillation described by a run file (JSON).",
            "A run file holds TextBrewer's training_config and distillation_config plus",
            "the models, the data and the optimizer (docs/configuration.md). Writes",
            "metrics.jsonl, eval.jsonl, checkpoints, TensorBoard events and",
            "loss-curves.png into training_config.output_dir."
        },
        footer = {
            "",
            "Examples:",
            "  distill4j distill --run runs/sst2/run.json",
            "  distill4j distill --run runs/sst2/run.json --resume"
        })
public final class DistillCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--run", paramLabel = "FILE", required = true, description = "The run file (JSON).")
    private Path run;

    @Option(names = "--resume",
            description = "Continue from the newest complete checkpoint in the output folder (a finished run is "
                    + "left unchanged).")
    private boolean resume;

    /** Picocli instantiates this. */
    public DistillCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(run)) {
            throw new NoSuchFileException(run.toString(), null, "run file not found");
        }
        RunFile file = RunFile.read(run);
        RunResult result = file.run(resume); // bad input fails here, before training, with one line on stderr
        TrainResult t = result.training();
        out.println("steps: " + t.globalSteps() + ", forward batches: " + t.batches()
                + (t.resumedFromStep() >= 0 ? ", resumed from step " + t.resumedFromStep() : "")
                + (t.stoppedEarly() ? ", stopped early" : ""));
        if (!t.finalLosses().isEmpty()) {
            StringBuilder sb = new StringBuilder("last batch:");
            for (Map.Entry<String, Double> e : t.finalLosses().entrySet()) {
                sb.append(' ').append(e.getKey()).append('=').append(String.format("%.6g", e.getValue()));
            }
            out.println(sb);
        }
        if (!t.history().isEmpty()) {
            out.println("last evaluation: " + t.history().get(t.history().size() - 1).metrics()
                    + ", best " + t.bestMetric()
                    + t.bestCheckpoint().map(p -> " at " + p).orElse(""));
        }
        if (t.skippedBatches() > 0) {
            out.println("skipped batches (non-finite loss or gradient): " + t.skippedBatches());
        }
        t.lastCheckpoint().ifPresent(p -> out.println("checkpoint: " + p));
        result.sentenceTransformersDir().ifPresent(p -> out.println("sentence-transformers model: " + p));
        out.println("metrics: " + result.metricsFile());
        out.println("time: " + String.format("%.1f s", t.timings().get("total").toMillis() / 1000.0));
        out.flush();
        return 0;
    }
}
