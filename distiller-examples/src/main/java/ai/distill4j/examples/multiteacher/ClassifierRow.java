package ai.distill4j.examples.multiteacher;

import ai.distill4j.examples.data.LabeledEmail;
import ai.distill4j.model.predict.ClassMetrics;
import ai.distill4j.model.predict.ClassificationMetrics;
import java.util.Locale;

/**
 * One row of a classification example's results.
 *
 * @param model what the row is, e.g. {@code teacher seed 1}, {@code ensemble (mean logits)}
 * @param layers encoder layers (summed over members for an ensemble), or 0 when not a BERT
 * @param parameters parameters (summed over members for an ensemble)
 * @param trainSeconds wall-clock seconds of its training (fine-tuning or distillation), NaN when none
 * @param msPerExample wall-clock milliseconds per test example of inference (summed over members for an ensemble)
 * @param scores its test scores; the table shows precision, recall and F1 of spam, the positive class
 * @param agreement the share of test examples on which it predicts the same class as the reference model (the
 *     teachers' ensemble, or the teacher), NaN for the reference itself
 * @since 0.1.0
 */
public record ClassifierRow(String model, int layers, long parameters, double trainSeconds, double msPerExample,
        ClassificationMetrics scores, double agreement) {

    /** The header of the Markdown table. */
    public static final String TABLE_HEADER = "| model | layers | params | train s | test ms/example | accuracy | "
            + "precision | recall | F1 | agreement |\n|---|---|---|---|---|---|---|---|---|---|";

    /**
     * Formats the row as a Markdown table row.
     *
     * @return the row
     */
    public String markdownRow() {
        ClassMetrics spam = scores.perClass().get(LabeledEmail.SPAM);
        return String.format(Locale.ROOT, "| %s | %s | %.1fM | %s | %.2f | %.4f | %.4f | %.4f | %.4f | %s |", model,
                layers == 0 ? "-" : Integer.toString(layers), parameters / 1e6,
                Double.isNaN(trainSeconds) ? "-" : String.format(Locale.ROOT, "%.0f", trainSeconds), msPerExample,
                scores.accuracy(), spam.precision(), spam.recall(), spam.f1(),
                Double.isNaN(agreement) ? "-" : String.format(Locale.ROOT, "%.4f", agreement));
    }
}
