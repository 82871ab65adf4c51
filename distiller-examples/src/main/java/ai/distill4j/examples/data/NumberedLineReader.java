package ai.distill4j.examples.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads UTF-8 lines one at a time and knows the number of the line it returned last. Each line is decoded on its own,
 * strictly, so a decoding error is reported against the line that holds the bad bytes (a {@code BufferedReader}
 * decodes ahead and would blame an earlier line). Line ends are {@code \n}; a trailing {@code \r} is removed.
 */
final class NumberedLineReader implements Closeable {

    private final String source;
    private final InputStream in;
    private final CharsetDecoder decoder =
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[1 << 16];
    private int position;
    private int filled;
    private boolean pendingLine;
    private byte[] line = new byte[4096];
    private long lineNumber;

    /**
     * Wraps a stream.
     *
     * @param source the file or resource name used in error messages
     * @param raw the bytes; gzip-compressed when {@code gzipped}
     * @param gzipped whether to decompress
     * @throws IOException if the gzip header cannot be read
     */
    NumberedLineReader(String source, InputStream raw, boolean gzipped) throws IOException {
        this.source = source;
        InputStream buffered = new BufferedInputStream(raw, 1 << 16);
        try {
            this.in = gzipped ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        } catch (IOException e) {
            buffered.close();
            throw new IOException(source + ": not a gzip file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads the next line.
     *
     * @return the line without its end, or null at the end of the input
     * @throws MalformedRowException if the line is not valid UTF-8
     * @throws IOException if reading fails
     */
    String next() throws IOException {
        int length = 0;
        while (true) {
            if (position == filled) {
                filled = in.read(chunk, 0, chunk.length);
                position = 0;
                if (filled <= 0) {
                    filled = 0;
                    if (length == 0 && !pendingLine) {
                        return null;
                    }
                    break;
                }
            }
            int start = position;
            while (position < filled && chunk[position] != '\n') {
                position++;
            }
            int n = position - start;
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
            System.arraycopy(chunk, start, line, length, n);
            length += n;
            pendingLine = true;
            if (position < filled) {
                position++; // the newline
                break;
            }
        }
        pendingLine = false;
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        try {
            return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRowException(source, lineNumber, "not valid UTF-8", e);
        }
    }

    /**
     * Returns the number of the line {@link #next()} returned last.
     *
     * @return the 1-based line number, 0 before the first line
     */
    long lineNumber() {
        return lineNumber;
    }

    /**
     * Returns the name used in error messages.
     *
     * @return the source name
     */
    String source() {
        return source;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
