package ai.distill4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The texts (and, for evaluation, the gold labels) of an input file of {@code predict} and {@code evaluate}.
 *
 * <p>Two formats, UTF-8, gzip-compressed when the name ends in {@code .gz}:
 * <ul>
 *   <li>text: one text per line; blank lines are skipped;</li>
 *   <li>TSV: a header line of column names, then rows with exactly as many tab-separated fields. The text of a row
 *       is its text column, or several text columns joined as the spam data's {@code LabeledEmail.text()} does: the
 *       non-empty fields in column order, separated by a newline. Default text columns: {@code text}, else
 *       {@code sentence}, else {@code subject} + {@code body} (the {@code data/spam} format
 *       {@code label<TAB>subject<TAB>body}).</li>
 * </ul>
 * Line numbers are the file's 1-based line numbers (the header is line 1), so errors and outputs point at the line
 * to open.
 */
final class TextInputFile {

    /** The file formats. */
    enum Format {
        /** {@code tsv} when the name ends in {@code .tsv} or {@code .tsv.gz}, else {@code text}. */
        auto,
        /** One text per line. */
        text,
        /** A header line, then tab-separated rows. */
        tsv
    }

    /**
     * One input.
     *
     * @param line the 1-based line number in the file
     * @param text the text to classify
     * @param label the gold label field, or null when no label column was asked for
     */
    record Row(long line, String text, String label) {}

    private TextInputFile() {}

    /**
     * Resolves {@link Format#auto} from the file name.
     *
     * @param file the file
     * @param format the requested format
     * @return {@link Format#text} or {@link Format#tsv}
     */
    static Format resolve(Path file, Format format) {
        if (format != Format.auto) {
            return format;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tsv") || name.endsWith(".tsv.gz") ? Format.tsv : Format.text;
    }

    /**
     * Reads a file.
     *
     * @param file the file
     * @param format the format ({@link Format#auto} picks by name)
     * @param textColumns the TSV columns to join into the text, or null for the default
     * @param labelColumn the TSV column of the gold label, or null to read no label
     * @return the rows in file order
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException naming the file and line when the file breaks the format
     */
    static List<Row> read(Path file, Format format, List<String> textColumns, String labelColumn)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "input file not found");
        }
        List<String> lines = lines(file);
        Format f = resolve(file, format);
        if (f == Format.text) {
            if (labelColumn != null) {
                throw new IllegalArgumentException(file + ": a plain text file has no labels; use a TSV file with a"
                        + " header and a label column (--format tsv)");
            }
            if (textColumns != null) {
                throw new IllegalArgumentException("--text-columns applies to TSV files only, but " + file
                        + " is read as text (use --format tsv)");
            }
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    rows.add(new Row(i + 1, lines.get(i), null));
                }
            }
            return rows;
        }
        return readTsv(file, lines, textColumns, labelColumn);
    }

    private static List<Row> readTsv(Path file, List<String> lines, List<String> textColumns, String labelColumn)
            throws IOException {
        if (lines.isEmpty()) {
            throw new IOException(file + " line 1: expected a header line of tab-separated column names, found the"
                    + " end of the file");
        }
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        List<String> columns = textColumns != null ? textColumns : defaultTextColumns(file, header);
        int[] textIdx = new int[columns.size()];
        for (int k = 0; k < columns.size(); k++) {
            textIdx[k] = column(file, header, columns.get(k), "text");
        }
        int labelIdx = labelColumn == null ? -1 : column(file, header, labelColumn, "label");
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).split("\t", -1);
            if (fields.length != header.size()) {
                throw new IOException(file + " line " + (i + 1) + ": expected " + header.size()
                        + " tab-separated fields (" + String.join(", ", header) + "), found " + fields.length);
            }
            StringBuilder text = new StringBuilder();
            for (int idx : textIdx) {
                if (!fields[idx].isEmpty()) {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(fields[idx]);
                }
            }
            rows.add(new Row(i + 1, text.toString(), labelIdx < 0 ? null : fields[labelIdx]));
        }
        return rows;
    }

    private static List<String> defaultTextColumns(Path file, List<String> header) {
        if (header.contains("text")) {
            return List.of("text");
        }
        if (header.contains("sentence")) {
            return List.of("sentence");
        }
        if (header.contains("subject") && header.contains("body")) {
            return List.of("subject", "body");
        }
        throw new IllegalArgumentException(file + " line 1: no column named text, sentence or subject+body in the"
                + " header (" + String.join(", ", header) + "); choose the text columns with --text-columns");
    }

    private static int column(Path file, List<String> header, String name, String role) {
        int idx = header.indexOf(name);
        if (idx < 0) {
            throw new IllegalArgumentException(file + " line 1: the header (" + String.join(", ", header)
                    + ") has no " + role + " column '" + name + "'");
        }
        return idx;
    }

    /** Reads every line, decoding each strictly on its own so a bad byte is reported against its own line. */
    private static List<String> lines(Path file) throws IOException {
        byte[] bytes;
        try (InputStream raw = Files.newInputStream(file)) {
            if (file.getFileName().toString().endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    in.transferTo(buf);
                    bytes = buf.toByteArray();
                } catch (java.util.zip.ZipException e) {
                    throw new IOException(file + ": not a gzip file (" + e.getMessage() + ")", e);
                }
            } else {
                bytes = raw.readAllBytes();
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int len = end - start;
            if (len > 0 && bytes[end - 1] == '\r') {
                len--;
            }
            try {
                lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, len)).toString());
            } catch (CharacterCodingException e) {
                throw new IOException(file + " line " + (lines.size() + 1) + ": not valid UTF-8", e);
            }
            start = end + 1;
        }
        return lines;
    }
}
