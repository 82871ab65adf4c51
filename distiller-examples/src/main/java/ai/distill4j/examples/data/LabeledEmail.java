package ai.distill4j.examples.data;

import java.util.List;
import java.util.Objects;

/**
 * One email of the spam task: its label and its cleaned subject and body (single lines, no tabs; see
 * {@code data/spam/README.md}).
 *
 * @param label {@link #HAM} (0) or {@link #SPAM} (1)
 * @param subject the decoded subject, possibly empty
 * @param body the plain-text body, at most 2000 code points, possibly empty
 * @since 0.1.0
 */
public record LabeledEmail(int label, String subject, String body) {

    /** The label of a legitimate email. */
    public static final int HAM = 0;

    /** The label of a spam email. */
    public static final int SPAM = 1;

    /** The class names indexed by label, as classifiers of the spam task name them: {@code ham}, {@code spam}. */
    public static final List<String> LABEL_NAMES = List.of("ham", "spam");

    /**
     * Checks the label and that subject and body are present.
     *
     * @param label {@link #HAM} (0) or {@link #SPAM} (1)
     * @param subject the decoded subject, possibly empty
     * @param body the plain-text body, possibly empty
     * @throws IllegalArgumentException if the label is not 0 or 1
     */
    public LabeledEmail {
        if (label != HAM && label != SPAM) {
            throw new IllegalArgumentException("label must be 0 (ham) or 1 (spam), found " + label);
        }
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
    }

    /**
     * Returns the text a classifier reads: the subject, a newline, then the body; only the non-empty one when the
     * other is empty. Tokenizers treat the newline as whitespace; it keeps the boundary visible.
     *
     * @return subject and body combined
     */
    public String text() {
        if (subject.isEmpty()) {
            return body;
        }
        return body.isEmpty() ? subject : subject + "\n" + body;
    }

    /**
     * Tells whether this email is spam.
     *
     * @return {@code label() == SPAM}
     */
    public boolean isSpam() {
        return label == SPAM;
    }
}
