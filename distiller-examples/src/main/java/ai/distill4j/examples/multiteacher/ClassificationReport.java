package ai.distill4j.examples.multiteacher;

import ai.distill4j.examples.embedding.RunClock;
import java.util.List;

/**
 * What a classification example (multi-teacher or custom model) measured: its rows, a line of settings, and the
 * run's wall time and load.
 *
 * @param title what was run
 * @param settings the settings, as one line
 * @param rows the rows, teachers first
 * @param clock wall time and load
 * @since 0.1.0
 */
public record ClassificationReport(String title, String settings, List<ClassifierRow> rows, RunClock clock) {

    /**
     * Copies the rows.
     *
     * @param title the title
     * @param settings the settings line
     * @param rows the rows
     * @param clock wall time and load
     */
    public ClassificationReport {
        rows = List.copyOf(rows);
    }

    /**
     * Finds a row by its model name.
     *
     * @param model the name
     * @return the row
     * @throws IllegalArgumentException when there is none
     */
    public ClassifierRow row(String model) {
        for (ClassifierRow r : rows) {
            if (r.model().equals(model)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no row named " + model);
    }

    /**
     * Renders the report as Markdown: the table, the settings and the clock. Train seconds of cached teachers are
     * those of the run that fine-tuned them.
     *
     * @return the text
     */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append("\n\n").append(ClassifierRow.TABLE_HEADER).append('\n');
        for (ClassifierRow r : rows) {
            sb.append(r.markdownRow()).append('\n');
        }
        sb.append('\n').append("Settings: ").append(settings).append('\n');
        sb.append("Run: ").append(clock.describe()).append('\n');
        return sb.toString();
    }
}
