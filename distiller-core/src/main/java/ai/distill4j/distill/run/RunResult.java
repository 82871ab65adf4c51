package ai.distill4j.distill.run;

import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.log.EvalLog;
import ai.distill4j.distill.log.MetricsLog;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What running a run file did and where it wrote.
 *
 * @param runFile the run file
 * @param training the training result (steps, history, best checkpoint, timings)
 * @param outputDir the output folder
 * @param sentenceTransformersDir the Sentence-Transformers folder written after training
 *     ({@code "saved_models": {"format": "sentence_transformers"}}), or empty
 * @since 0.1.0
 */
public record RunResult(RunFile runFile, TrainResult training, Path outputDir,
        Optional<Path> sentenceTransformersDir) {

    /**
     * Creates a result without a Sentence-Transformers export.
     *
     * @param runFile the run file
     * @param training the training result
     * @param outputDir the output folder
     */
    public RunResult(RunFile runFile, TrainResult training, Path outputDir) {
        this(runFile, training, outputDir, Optional.empty());
    }

    /**
     * Returns the per-batch log.
     *
     * @return {@code output_dir/metrics.jsonl}
     */
    public Path metricsFile() {
        return outputDir.resolve(MetricsLog.FILE_NAME);
    }

    /**
     * Returns the evaluation log.
     *
     * @return {@code output_dir/eval.jsonl}
     */
    public Path evalFile() {
        return outputDir.resolve(EvalLog.FILE_NAME);
    }
}
