package ai.distill4j.examples.embedding;

import ai.distill4j.distill.eval.EmbeddingAgreementEvaluator;
import ai.distill4j.distill.eval.RetrievalEvaluator;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the embedding example's results: a model, how it was trained, how closely it embeds like the teacher,
 * how well it retrieves, and how fast it encodes.
 *
 * @param model what the row is, e.g. {@code teacher}, {@code student (copied, untrained)}
 * @param objective the training objective's label, or {@code -}
 * @param layers encoder layers
 * @param hidden hidden size
 * @param parameters parameters of the encoder (embeddings included)
 * @param trainSeconds wall-clock training seconds, NaN when not trained
 * @param agreement the {@link EmbeddingAgreementEvaluator} metrics against the teacher (empty for the teacher)
 * @param retrieval the {@link RetrievalEvaluator} metrics ({@code recall@1}, {@code recall@10}, {@code mrr})
 * @param msPerText wall-clock milliseconds per held-out text to encode (tokenization included, batches of 32)
 * @since 0.1.0
 */
public record EmbeddingScores(String model, String objective, int layers, int hidden, long parameters,
        double trainSeconds, Map<String, Double> agreement, Map<String, Double> retrieval, double msPerText) {

    /**
     * Copies the maps.
     *
     * @param model the row's name
     * @param objective the objective or {@code -}
     * @param layers encoder layers
     * @param hidden hidden size
     * @param parameters parameter count
     * @param trainSeconds training seconds or NaN
     * @param agreement agreement metrics
     * @param retrieval retrieval metrics
     * @param msPerText encoding milliseconds per text
     */
    public EmbeddingScores {
        agreement = Map.copyOf(agreement);
        retrieval = Map.copyOf(retrieval);
    }

    /**
     * Returns a metric, agreement or retrieval.
     *
     * @param name e.g. {@code spearman} or {@code mrr}
     * @return the value, NaN when absent
     */
    public double metric(String name) {
        Double v = agreement.get(name);
        if (v == null) {
            v = retrieval.get(name);
        }
        return v == null ? Double.NaN : v;
    }

    /**
     * Formats the row as a Markdown table row (see {@link EmbeddingReport#TABLE_HEADER}).
     *
     * @return the row
     */
    public String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %s | %d x %d | %.1fM | %s | %s | %s | %s | %s | %s | %s | %.2f |",
                model, objective, layers, hidden, parameters / 1e6,
                Double.isNaN(trainSeconds) ? "-" : String.format(Locale.ROOT, "%.0f", trainSeconds),
                cell(EmbeddingAgreementEvaluator.MEAN_COSINE), cell(EmbeddingAgreementEvaluator.SPEARMAN),
                cell(EmbeddingAgreementEvaluator.TOP1_AGREEMENT), cell(EmbeddingAgreementEvaluator.TOP10_AGREEMENT),
                cell(RetrievalEvaluator.RECALL_AT_1), cell(RetrievalEvaluator.MRR), msPerText);
    }

    private String cell(String name) {
        double v = metric(name);
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
