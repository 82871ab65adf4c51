package ai.distill4j.distill.log;

import ai.distill4j.distill.internal.DoubleRepr;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The per-batch training log, {@code metrics.jsonl}: one JSON object per forward batch.
 *
 * <p>Each row holds, in this order, {@code batch} (0-based, counted across epochs), {@code step} (optimizer steps done
 * after the batch), {@code learning_rate}, {@code total_loss} (before division by the gradient accumulation steps)
 * and then every loss term in the order the caller's map iterates, e.g.
 *
 * <pre>{@code
 * {"batch": 0, "step": 0, "learning_rate": 0.1, "total_loss": 9.135687828063965, "unweighted_kd_loss": 0.6932922005653381}
 * }</pre>
 *
 * <p>Numbers are written with {@link DoubleRepr}: the shortest text that reads back to the same double, so nothing is
 * lost (a float32 loss widened to double prints exactly as TextBrewer's Python prints it). NaN and infinite losses
 * are written as {@code NaN} / {@code Infinity}, as Python's {@code json} module does.
 *
 * <p>Every row reaches the operating system in a single write as soon as {@link #write} returns, so a killed run
 * keeps every row it logged; {@link #close()} also syncs the file to disk. Batches must be written in increasing
 * order: the file always reads as one uninterrupted run. When resuming from a checkpoint, open the log with
 * {@link #append} and call {@link #truncateAfterBatch} with the checkpoint's last logged batch: the rows of batches
 * that will be trained again are dropped by an atomic rewrite of the file.
 *
 * <p>Instances are thread-safe.
 *
 * @since 0.1.0
 */
public final class MetricsLog implements Closeable {

    /** The conventional file name inside the output folder. */
    public static final String FILE_NAME = "metrics.jsonl";

    private static final Set<String> LEADING_KEYS = Set.of("batch", "step", "learning_rate", "total_loss");

    private final JsonLinesFile lines;
    private long lastBatch;

    private MetricsLog(JsonLinesFile lines, long lastBatch) {
        this.lines = lines;
        this.lastBatch = lastBatch;
    }

    /**
     * Starts a new, empty log, replacing any existing file (creating its folder if needed).
     *
     * @param file the log file, usually {@code output_dir/metrics.jsonl}
     * @return the open log
     * @throws IOException if the file cannot be created
     */
    public static MetricsLog create(Path file) throws IOException {
        return new MetricsLog(JsonLinesFile.open(file, true), -1);
    }

    /**
     * Opens a log to continue it, creating it if missing. A trailing line torn by a crash is removed.
     *
     * @param file the log file
     * @return the open log; the next batch written must come after the last one in the file
     * @throws IOException if the file cannot be read or opened, or holds a malformed row
     */
    public static MetricsLog append(Path file) throws IOException {
        JsonLinesFile.Reopened<MetricsRow> log = JsonLinesFile.reopen(file, MetricsLog::toRow);
        return new MetricsLog(log.lines(), log.lastRow() == null ? -1 : log.lastRow().batch());
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
     * Returns the last batch in the file.
     *
     * @return the batch of the last row, or -1 when the log is empty
     */
    public synchronized long lastBatch() {
        return lastBatch;
    }

    /**
     * Appends the row of one forward batch.
     *
     * @param batch the forward batch, 0-based across epochs; greater than every batch already in the file
     * @param step optimizer steps done after this batch, {@code >= 0}
     * @param learningRate the learning rate used for this batch
     * @param totalLoss the batch's total loss, before division by the gradient accumulation steps
     * @param terms the loss terms by name, written in iteration order (use a {@link LinkedHashMap}); names must not be
     *     {@code batch}, {@code step}, {@code learning_rate} or {@code total_loss}
     * @throws IOException if the row cannot be written
     * @throws IllegalArgumentException if {@code batch} does not follow the last batch, {@code step} is negative or a
     *     term name is reserved
     */
    public synchronized void write(long batch, long step, double learningRate, double totalLoss,
            Map<String, Double> terms) throws IOException {
        Objects.requireNonNull(terms, "terms");
        if (batch <= lastBatch) {
            throw new IllegalArgumentException("batch " + batch + " must come after batch " + lastBatch
                    + ", the last one in " + file() + "; when resuming, call truncateAfterBatch(lastLoggedBatch) first");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        StringBuilder row = new StringBuilder(64 + terms.size() * 48);
        row.append("{\"batch\": ").append(batch)
                .append(", \"step\": ").append(step)
                .append(", \"learning_rate\": ").append(DoubleRepr.of(learningRate))
                .append(", \"total_loss\": ").append(DoubleRepr.of(totalLoss));
        RowFields.appendNumbers(row, terms, LEADING_KEYS, "loss term", FILE_NAME);
        row.append('}');
        lines.append(row.toString());
        lastBatch = batch;
    }

    /**
     * Drops every row whose batch is greater than {@code batch}, by an atomic rewrite of the file, and continues
     * appending after it. Used when resuming: pass the last batch the checkpoint had logged (its number of batches
     * seen minus one; -1 drops every row).
     *
     * @param batch the last batch to keep
     * @return the number of rows dropped
     * @throws IOException if the file cannot be read or replaced; it is then unchanged
     */
    public synchronized int truncateAfterBatch(long batch) throws IOException {
        int dropped = lines.retain(row -> RowFields.integer(row, "batch") <= batch);
        lastBatch = Math.min(lastBatch, Math.max(batch, -1));
        return dropped;
    }

    /**
     * Forces the rows written so far to the storage device (they already survive a killed process without this).
     *
     * @throws IOException if syncing fails
     */
    public void sync() throws IOException {
        lines.sync();
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
     * Reads every row of a metrics file. A trailing line torn by a crash is ignored.
     *
     * @param file a file written by this class
     * @return the rows in file order
     * @throws IOException if the file cannot be read or a row is malformed or lacks a required key
     */
    public static List<MetricsRow> read(Path file) throws IOException {
        return JsonLinesFile.readRows(file, MetricsLog::toRow);
    }

    private static MetricsRow toRow(Map<String, Object> row) {
        Map<String, Double> terms = RowFields.numbersExcept(row, LEADING_KEYS);
        return new MetricsRow(RowFields.integer(row, "batch"), RowFields.integer(row, "step"),
                RowFields.number(row, "learning_rate"), RowFields.number(row, "total_loss"), terms);
    }
}
