package ai.distill4j.examples.data;

import java.io.IOException;

/**
 * A data file holds a row that cannot be read. The message names the file (or classpath resource), the 1-based line
 * and what is wrong with it, for example {@code data/spam/train.tsv.gz line 12: label must be 0 or 1, found "2"}.
 *
 * @since 0.1.0
 */
public final class MalformedRowException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file or resource name, as shown to the user. */
    private final String source;

    /** The 1-based line number. */
    private final long line;

    /**
     * Creates the exception.
     *
     * @param source the file or resource name, as shown to the user
     * @param line the 1-based line number
     * @param problem what is wrong with the row
     */
    public MalformedRowException(String source, long line, String problem) {
        super(source + " line " + line + ": " + problem);
        this.source = source;
        this.line = line;
    }

    /**
     * Creates the exception for a row that could not be decoded.
     *
     * @param source the file or resource name, as shown to the user
     * @param line the 1-based line number
     * @param problem what is wrong with the row
     * @param cause the decoding error
     */
    public MalformedRowException(String source, long line, String problem, Throwable cause) {
        this(source, line, problem);
        initCause(cause);
    }

    /**
     * Returns the file or resource that holds the row.
     *
     * @return the source name, as given
     */
    public String source() {
        return source;
    }

    /**
     * Returns the line of the row.
     *
     * @return the 1-based line number
     */
    public long line() {
        return line;
    }
}
