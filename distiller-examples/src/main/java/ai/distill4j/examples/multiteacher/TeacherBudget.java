package ai.distill4j.examples.multiteacher;

import ai.distill4j.examples.settings.SettingChecks;
import java.util.Locale;

/**
 * How a spam teacher is fine-tuned: how many training emails (one epoch), in batches of what size, cut at how many
 * tokens, at what peak learning rate. Teachers fine-tuned with the same budget and seed are identical, so they are
 * cached under {@link #label()}.
 *
 * @param texts training emails, a seeded sample of the training split
 * @param batchSize rows per batch
 * @param maxLength truncation in tokens
 * @param learningRate AdamW's peak learning rate (linear schedule, 10% warm-up)
 * @since 0.1.0
 */
public record TeacherBudget(int texts, int batchSize, int maxLength, double learningRate) {

    /**
     * Validates.
     *
     * @param texts training emails, &gt;= batchSize
     * @param batchSize rows per batch, &gt;= 1
     * @param maxLength truncation, &gt;= 8
     * @param learningRate the learning rate, &gt; 0
     */
    public TeacherBudget {
        SettingChecks.atLeastOne("teacher batch_size", batchSize);
        SettingChecks.fillsOneBatch("teacher texts", texts, batchSize);
        SettingChecks.atLeast("teacher max_length", maxLength, 8);
        SettingChecks.positiveFinite("teacher learning_rate", learningRate);
    }

    /**
     * Returns the folder name of teachers fine-tuned with this budget, e.g. {@code n640-b16-l48-lr1e-04}.
     *
     * @return the label
     */
    public String label() {
        return String.format(Locale.ROOT, "n%d-b%d-l%d-lr%.0e", texts, batchSize, maxLength, learningRate);
    }
}
