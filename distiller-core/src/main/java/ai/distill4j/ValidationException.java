package ai.distill4j;

/**
 * Bad input caught before any work is done: a config or run-file field, a data-file line, or a model that does not
 * fit the configs. The message is one line that names the field, file or line, the rejected value and the rule it
 * breaks, e.g. {@code distillation_config.temperature = 0: the temperature must be a finite number > 0} or
 * {@code train.jsonl:17: input_ids[3] = 30522: token id outside the vocabulary of the student (0..30521)}.
 *
 * <p>Line breaks inside the message (from a rejected value) are written as {@code \n}, so the message is always one
 * line. It extends {@link IllegalArgumentException}, so code that catches that keeps working; the CLI prints the
 * message as its one line on stderr and exits with status 1.
 *
 * @since 0.1.0
 */
public class ValidationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line: field or file and line, value, rule
     */
    public ValidationException(String message) {
        super(oneLine(message));
    }

    /**
     * Creates the exception with the error that revealed the problem.
     *
     * @param message one line: field or file and line, value, rule
     * @param cause the underlying error
     */
    public ValidationException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Line breaks inside a value (a key with a newline, say) are written as escapes: the message stays one line. */
    private static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        return message.replace("\r", "\\r").replace("\n", "\\n").replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029");
    }

    /**
     * Returns an {@link IllegalArgumentException} as a validation error with the same message (itself when it
     * already is one), so that entry points throw one type for every kind of bad input.
     *
     * @param e the exception, typically from a builder's validation
     * @return a validation exception with {@code e}'s message and {@code e} as cause (or {@code e} itself)
     */
    public static ValidationException of(IllegalArgumentException e) {
        if (e instanceof ValidationException v) {
            return v;
        }
        return new ValidationException(e.getMessage(), e);
    }

    /**
     * Returns a validation error whose message puts a prefix (a file, a field) before another's message.
     *
     * @param prefix what the message is about, e.g. a file name
     * @param e the exception
     * @return a validation exception reading {@code prefix: message}
     */
    public static ValidationException prefixed(String prefix, IllegalArgumentException e) {
        return new ValidationException(prefix + ": " + e.getMessage(), e);
    }
}
