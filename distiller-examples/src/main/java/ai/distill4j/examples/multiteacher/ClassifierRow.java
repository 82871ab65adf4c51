package ai.distill4j.examples.multiteacher;

import java.util.Locale;

/**
 * One row of a classification example's results.
 *
 * @param model what the row is, e.g. {@code teacher seed 1}, {@code ensemble (mean logits)}
 * @param layers encoder layers (summed over members for an ensemble), or 0 when not a BERT
 * @param parameters parameters (summed over members for an ensemble)
 * @param trainSeconds wall-clock seconds of its training (fine-tuning or distillation), NaN when none
 * @param msPerExample wall-clock milliseconds per test example of inference (summed over members for an ensemble)
 * @param scores its test scores
 * @param agreement the share of test examples on which it predicts the same class as the reference model (the
 *     teachers' ensemble, or the teacher), NaN for the reference itself
 * @since 0.1.0
 */
public record ClassifierRow(String model, int layers, long parameters, double trainSeconds, double msPerExample,
        ClassifierScores scores, double agreement) {

    /** The header of the Markdown table. */
    public static final String TABLE_HEADER = "| model | layers | params | train s | test ms/example | accuracy | "
            + "precision | recall | F1 | agreement |\n|---|---|---|---|---|---|---|---|---|---|";

    /**
     * Formats the row as a Markdown table row.
     *
     * @return the row
     */
    public String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %s | %.1fM | %s | %.2f | %.4f | %.4f | %.4f | %.4f | %s |", model,
                layers == 0 ? "-" : Integer.toString(layers), parameters / 1e6,
                Double.isNaN(trainSeconds) ? "-" : String.format(Locale.ROOT, "%.0f", trainSeconds), msPerExample,
                scores.accuracy(), scores.precision(), scores.recall(), scores.f1(),
                Double.isNaN(agreement) ? "-" : String.format(Locale.ROOT, "%.4f", agreement));
    }
}
