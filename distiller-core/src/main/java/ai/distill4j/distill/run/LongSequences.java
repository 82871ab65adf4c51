package ai.distill4j.distill.run;

import ai.distill4j.distill.internal.Invalid;
import java.util.Locale;

/**
 * What to do with examples longer than a model's {@code max_position_embeddings}: the run file's
 * {@code "long_sequences"} field.
 *
 * @since 0.1.0
 */
public enum LongSequences {
    /** Refuse the data, naming the file, the first long line and the limit (the default). */
    REJECT,
    /** Cut every example to the limit (right-padded rows keep one length). */
    TRUNCATE;

    /**
     * Parses the run-file value.
     *
     * @param value {@code "reject"} or {@code "truncate"}
     * @param field the field name, for the message
     * @return the policy
     * @throws ai.distill4j.ValidationException for any other value
     */
    public static LongSequences parse(String value, String field) {
        for (LongSequences p : values()) {
            if (p.toString().equals(value)) {
                return p;
            }
        }
        throw Invalid.value(field, value, "must be \"reject\" or \"truncate\"");
    }

    /**
     * Returns the run-file spelling.
     *
     * @return {@code "reject"} or {@code "truncate"}
     */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
