package ai.distill4j.distill.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The evaluation log, {@code eval.jsonl}: one JSON object per evaluation, {@code step} first and then every metric in
 * the order the caller's map iterates, e.g. {@code {"step": 200, "accuracy": 0.8125, "eval_loss": 0.4471}}.
 *
 * <p>Written like {@link MetricsLog}: shortest round-trip numbers, one write per row (a killed run keeps every row),
 * steps never going back, and {@link #truncateAfterStep} for resuming (an atomic rewrite that drops the evaluations
 * made after the checkpoint). Instances are thread-safe.
 *
 * @since 0.1.0
 */
public final class EvalLog implements Closeable {

    /** The conventional file name inside the output folder. */
    public static final String FILE_NAME = "eval.jsonl";

    private static final Set<String> LEADING_KEYS = Set.of("step");

    private final JsonLinesFile lines;
    private long lastStep;

    private EvalLog(JsonLinesFile lines, long lastStep) {
        this.lines = lines;
        this.lastStep = lastStep;
    }

    /**
     * Starts a new, empty log, replacing any existing file (creating its folder if needed).
     *
     * @param file the log file, usually {@code output_dir/eval.jsonl}
     * @return the open log
     * @throws IOException if the file cannot be created
     */
    public static EvalLog create(Path file) throws IOException {
        return new EvalLog(JsonLinesFile.open(file, true), -1);
    }

    /**
     * Opens a log to continue it, creating it if missing. A trailing line torn by a crash is removed.
     *
     * @param file the log file
     * @return the open log
     * @throws IOException if the file cannot be read or opened, or holds a malformed row
     */
    public static EvalLog append(Path file) throws IOException {
        JsonLinesFile.Reopened<EvalRow> log = JsonLinesFile.reopen(file, EvalLog::toRow);
        return new EvalLog(log.lines(), log.lastRow() == null ? -1 : log.lastRow().step());
    }

    /**
     * Returns the file this log writes.
     *
     * @return the absolute path of the file
     */
    public Path file() {
        return lines.file();
    }

    /**
     * Appends the results of one evaluation.
     *
     * @param step the optimizer step after which the evaluation ran; not less than the last step written
     * @param metrics the metrics by name, written in iteration order; no metric may be named {@code step}
     * @throws IOException if the row cannot be written
     * @throws IllegalArgumentException if {@code step} goes back or a metric is named {@code step}
     */
    public synchronized void write(long step, Map<String, Double> metrics) throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        if (step < 0 || step < lastStep) {
            throw new IllegalArgumentException("step " + step + " must be >= 0 and not less than step " + lastStep
                    + ", the last one in " + file() + "; when resuming, call truncateAfterStep(checkpointStep) first");
        }
        StringBuilder row = new StringBuilder(16 + metrics.size() * 32);
        row.append("{\"step\": ").append(step);
        RowFields.appendNumbers(row, metrics, LEADING_KEYS, "metric", FILE_NAME);
        row.append('}');
        lines.append(row.toString());
        lastStep = step;
    }

    /**
     * Drops every evaluation made after {@code step}, by an atomic rewrite of the file, and continues appending after
     * it.
     *
     * @param step the last step to keep (the checkpoint's global step when resuming)
     * @return the number of rows dropped
     * @throws IOException if the file cannot be read or replaced; it is then unchanged
     */
    public synchronized int truncateAfterStep(long step) throws IOException {
        int dropped = lines.retain(row -> RowFields.integer(row, "step") <= step);
        lastStep = Math.min(lastStep, Math.max(step, -1));
        return dropped;
    }

    /**
     * Syncs and closes the file.
     *
     * @throws IOException if syncing or closing fails
     */
    @Override
    public void close() throws IOException {
        lines.close();
    }

    /**
     * Reads every row of an evaluation file. A trailing line torn by a crash is ignored.
     *
     * @param file a file written by this class
     * @return the rows in file order
     * @throws IOException if the file cannot be read or a row is malformed
     */
    public static List<EvalRow> read(Path file) throws IOException {
        return JsonLinesFile.readRows(file, EvalLog::toRow);
    }

    private static EvalRow toRow(Map<String, Object> row) {
        Map<String, Double> metrics = RowFields.numbersExcept(row, LEADING_KEYS);
        return new EvalRow(RowFields.integer(row, "step"), metrics);
    }
}
