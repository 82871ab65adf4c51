package ai.distill4j.examples.embedding;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a run of the {@link EmbeddingExample} measured: the teacher's row, the untrained student's row, one row per
 * trained objective, the check that the saved Sentence-Transformers folder reloads to the same vectors, and the
 * run's wall time and load.
 *
 * @param settings the settings of the run
 * @param rows the teacher first, then the untrained student, then one row per objective
 * @param savedStudents the Sentence-Transformers folder of each trained student, aligned with the objectives
 * @param reloadMaxAbsDiff per trained student, the largest absolute difference between the vectors of the reloaded
 *     folder and of the model in memory
 * @param trainBatches training batches per objective
 * @param heldOutTexts held-out texts of the agreement metrics
 * @param retrievalQueries queries of the retrieval task
 * @param clock the run's wall time and load
 * @since 0.1.0
 */
public record EmbeddingReport(EmbeddingSettings settings, List<EmbeddingScores> rows, List<Path> savedStudents,
        List<Double> reloadMaxAbsDiff, int trainBatches, int heldOutTexts, int retrievalQueries, RunClock clock) {

    /** The header of the Markdown table. */
    public static final String TABLE_HEADER =
            "| model | objective | layers x hidden | params | train s | mean cos | Spearman | top-1 agr. | top-10 agr."
                    + " | R@1 | MRR | ms/text |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|";

    /**
     * Copies the lists.
     *
     * @param settings the settings
     * @param rows the rows
     * @param savedStudents the saved folders
     * @param reloadMaxAbsDiff the reload differences
     * @param trainBatches training batches per objective
     * @param heldOutTexts held-out texts
     * @param retrievalQueries retrieval queries
     * @param clock wall time and load
     */
    public EmbeddingReport {
        rows = List.copyOf(rows);
        savedStudents = List.copyOf(savedStudents);
        reloadMaxAbsDiff = List.copyOf(reloadMaxAbsDiff);
    }

    /**
     * Renders the report as Markdown: the table, then the data, the reload check and the clock.
     *
     * @return the text
     */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(TABLE_HEADER).append('\n');
        for (EmbeddingScores r : rows) {
            sb.append(r.markdownRow()).append('\n');
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "Settings: %s; %d training batches per objective; %d held-out texts; "
                + "%d retrieval queries.%n", settings, trainBatches, heldOutTexts, retrievalQueries));
        for (int i = 0; i < savedStudents.size(); i++) {
            sb.append(String.format(Locale.ROOT, "Saved %s (Sentence-Transformers layout); reloaded vectors differ "
                    + "by at most %.2e.%n", savedStudents.get(i), reloadMaxAbsDiff.get(i)));
        }
        sb.append("Run: ").append(clock.describe()).append('\n');
        return sb.toString();
    }
}
