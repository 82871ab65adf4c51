package ai.distill4j.distill.run;

import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.internal.Seeds;
import ai.distill4j.ValidationException;
import ai.distill4j.distill.internal.DidYouMean;
import ai.distill4j.model.bert.BertConfig;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Tokenized examples read from a JSON-lines file ({@code input_ids}, {@code attention_mask},
 * {@code token_type_ids}, {@code label} per line, right-padded) or from raw text, grouped into {@link BertBatch}es.
 * Labels are optional (all rows have one or none), so unlabelled text can be distilled on. Files whose name ends in
 * {@code .gz} are read gzip-compressed.
 *
 * <p>Reading checks every line and stops at the first bad one with a {@link ValidationException} whose message
 * starts with {@code file:line:}: text that is not UTF-8, an empty line before the end of the file, a line that is
 * not a JSON object, a missing {@code input_ids}, ids that are not non-negative integers, a mask or token types of
 * another length than the ids, mask values other than 0 and 1, rows of different lengths, negative labels.
 * {@link #fitTo} then checks the examples against a model: token ids inside the vocabulary, token types below
 * {@code type_vocab_size}, labels below {@code num_labels}, lengths up to {@code max_position_embeddings}
 * (rejected or truncated). I/O failures stay {@link IOException}s.
 *
 * @since 0.1.0
 */
public final class Examples {

    private final List<BertBatch> rows;
    private final String source;
    private final int[] lines;

    private Examples(List<BertBatch> rows, String source, int[] lines) {
        this.rows = List.copyOf(rows);
        this.source = source;
        this.lines = lines;
    }

    /**
     * Reads a JSON-lines file.
     *
     * @param file the file
     * @return the examples
     * @throws IOException when the file cannot be read
     * @throws ValidationException when a line is malformed (the message names file and line)
     */
    public static Examples readJsonLines(Path file) throws IOException {
        List<String> text = readLines(file);
        List<BertBatch> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        int last = lastNonBlank(text);
        int length = -1;
        int lengthLine = 0;
        for (int i = 0; i <= last; i++) {
            int n = i + 1;
            String line = text.get(i);
            String where = file + ":" + n + ": ";
            if (line.isBlank()) {
                throw new ValidationException(where + "empty line; every line up to the last one must hold one "
                        + "example");
            }
            JsonElement parsed;
            try {
                parsed = JsonParser.parseString(line);
            } catch (JsonParseException e) {
                throw new ValidationException(where + "not valid JSON (" + oneLine(e.getMessage()) + ")", e);
            }
            if (parsed == null || !parsed.isJsonObject()) {
                throw new ValidationException(where + "expected a JSON object with input_ids, got "
                        + abbreviate(line));
            }
            JsonObject o = parsed.getAsJsonObject();
            long[] ids = longs(o, "input_ids", where);
            if (ids == null) {
                throw new ValidationException(where + "missing 'input_ids'");
            }
            if (ids.length == 0) {
                throw new ValidationException(where + "input_ids = []: an example needs at least one token");
            }
            long[] mask = longs(o, "attention_mask", where);
            if (mask == null) {
                mask = new long[ids.length];
                java.util.Arrays.fill(mask, 1);
            }
            sameLength(mask, ids, "attention_mask", where);
            for (int k = 0; k < mask.length; k++) {
                if (mask[k] != 0 && mask[k] != 1) {
                    throw new ValidationException(where + "attention_mask[" + k + "] = " + mask[k]
                            + ": mask values must be 0 or 1");
                }
            }
            long[] types = longs(o, "token_type_ids", where);
            if (types != null) {
                sameLength(types, ids, "token_type_ids", where);
            }
            long[] label = null;
            JsonElement l = o.get("label");
            if (l != null && !l.isJsonNull()) {
                label = new long[] {integer(l, "label", where)};
            }
            if (!rows.isEmpty()) {
                BertBatch first = rows.get(0);
                sameFields(first.labels() != null, label != null, "label", lineNumbers.get(0), where);
                sameFields(first.tokenTypeIds() != null, types != null, "token_type_ids", lineNumbers.get(0), where);
            }
            if (length >= 0 && ids.length != length) {
                throw new ValidationException(where + "input_ids has length " + ids.length + " but line " + lengthLine
                        + " has " + length + "; rows must be padded to one length");
            }
            length = ids.length;
            lengthLine = n;
            rows.add(new BertBatch(new long[][] {ids}, new long[][] {mask},
                    types == null ? null : new long[][] {types}, label, null));
            lineNumbers.add(n);
        }
        if (rows.isEmpty()) {
            throw new ValidationException(file + ": no examples");
        }
        return new Examples(rows, file.toString(), lineNumbers.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Reads raw text from a tab-separated file with a header row and tokenizes it (padded to {@code maxLength}).
     *
     * @param file the file
     * @param textColumn the header name of the text column
     * @param labelColumn the header name of the label column, or {@code null} for unlabelled data
     * @param tokenizerJson the {@code tokenizer.json}
     * @param maxLength the padded and truncated length
     * @param label2id names of labels that are not integers, or an empty map
     * @return the examples
     * @throws IOException when the file or the tokenizer cannot be read
     * @throws ValidationException when the file is not UTF-8, a column is missing, a row has another number of
     *     columns than the header, or a label is unknown (the message names file and line)
     */
    public static Examples readTsv(Path file, String textColumn, String labelColumn, Path tokenizerJson,
            int maxLength, java.util.Map<String, Integer> label2id) throws IOException {
        List<String> lines = readLines(file);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new ValidationException(file + ":1: expected a header row naming the columns");
        }
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int text = header.indexOf(textColumn);
        if (text < 0) {
            throw new ValidationException(file + ":1: no column '" + textColumn + "' in the header " + header
                    + DidYouMean.hint(textColumn, header));
        }
        int label = labelColumn == null ? -1 : header.indexOf(labelColumn);
        if (labelColumn != null && label < 0) {
            throw new ValidationException(file + ":1: no column '" + labelColumn + "' in the header " + header
                    + DidYouMean.hint(labelColumn, header));
        }
        List<String> texts = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        int last = lastNonBlank(lines);
        for (int n = 1; n <= last; n++) {
            String where = file + ":" + (n + 1) + ": ";
            if (lines.get(n).isBlank()) {
                throw new ValidationException(where + "empty line; every line up to the last one must hold one "
                        + "example");
            }
            String[] cols = lines.get(n).split("\t", -1);
            if (cols.length != header.size()) {
                throw new ValidationException(where + cols.length + " columns, the header has " + header.size());
            }
            texts.add(cols[text]);
            lineNumbers.add(n + 1);
            if (label >= 0) {
                String v = cols[label].trim();
                long id;
                try {
                    id = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    Integer mapped = label2id.get(v);
                    if (mapped == null) {
                        throw new ValidationException(where + "label '" + v + "' is neither an integer nor one of "
                                + "the model's labels " + label2id.keySet() + DidYouMean.hint(v, label2id.keySet()), e);
                    }
                    id = mapped.longValue();
                }
                if (id < 0) {
                    throw new ValidationException(where + "label = " + id + ": labels must be >= 0");
                }
                labels.add(id);
            }
        }
        if (texts.isEmpty()) {
            throw new ValidationException(file + ": no examples");
        }
        List<BertBatch> rows = new ArrayList<>();
        try (ai.distill4j.model.text.BertTokenizer tok = ai.distill4j.model.text.BertTokenizer.builder(tokenizerJson)
                .maxLength(maxLength).truncation(true)
                .padding(ai.distill4j.model.text.BertTokenizer.Padding.MAX_LENGTH).build()) {
            ai.distill4j.model.text.TokenizedBatch t = tok.encode(texts);
            for (int i = 0; i < texts.size(); i++) {
                rows.add(new BertBatch(new long[][] {t.ids()[i]}, new long[][] {t.mask()[i]},
                        t.types() == null ? null : new long[][] {t.types()[i]},
                        label >= 0 ? new long[] {labels.get(i)} : null, null));
            }
        }
        return new Examples(rows, file.toString(), lineNumbers.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Checks the examples against a model and returns them ready for it: every token id below
     * {@code vocab_size}, every token type below {@code type_vocab_size}, every label below {@code num_labels}
     * (when {@code checkLabels}), and every example at most {@code max_position_embeddings} long, or cut to it.
     *
     * @param config the model's config
     * @param role the model's role for messages ({@code "student"}, {@code "teacher"})
     * @param longSequences what to do with examples longer than the model accepts
     * @param checkLabels whether labels are used against this model's classifier
     * @return these examples, or a copy cut to {@code max_position_embeddings}
     * @throws ValidationException naming the file, the line, the value and the model's limit
     */
    public Examples fitTo(BertConfig config, String role, LongSequences longSequences, boolean checkLabels) {
        int limit = config.maxPositionEmbeddings();
        int length = rows.get(0).sequenceLength();
        Examples fitted = this;
        if (length > limit) {
            if (longSequences == LongSequences.REJECT) {
                throw new ValidationException(where(0) + "the examples are " + length + " tokens long but the "
                        + role + " accepts at most max_position_embeddings = " + limit + " positions; shorten them "
                        + "or set \"long_sequences\": \"truncate\"");
            }
            List<BertBatch> cut = new ArrayList<>(rows.size());
            for (BertBatch b : rows) {
                cut.add(new BertBatch(new long[][] {java.util.Arrays.copyOf(b.inputIds()[0], limit)},
                        new long[][] {java.util.Arrays.copyOf(b.attentionMask()[0], limit)},
                        b.tokenTypeIds() == null ? null
                                : new long[][] {java.util.Arrays.copyOf(b.tokenTypeIds()[0], limit)},
                        b.labels(), null));
            }
            fitted = new Examples(cut, source, lines);
        }
        for (int i = 0; i < fitted.rows.size(); i++) {
            BertBatch b = fitted.rows.get(i);
            checkBelow(b.inputIds()[0], config.vocabSize(), i, "input_ids", "token id outside the vocabulary of the "
                    + role + " (vocab_size " + config.vocabSize() + ")");
            if (b.tokenTypeIds() != null) {
                checkBelow(b.tokenTypeIds()[0], config.typeVocabSize(), i, "token_type_ids", "token type outside the "
                        + role + "'s type_vocab_size " + config.typeVocabSize());
            }
            if (checkLabels && b.labels() != null && b.labels()[0] >= config.numLabels()) {
                throw new ValidationException(where(i) + "label = " + b.labels()[0] + ": the " + role + " has "
                        + "num_labels = " + config.numLabels() + " (labels 0.." + (config.numLabels() - 1) + ")");
            }
        }
        return fitted;
    }

    private void checkBelow(long[] values, long bound, int row, String field, String rule) {
        for (int k = 0; k < values.length; k++) {
            if (values[k] >= bound) {
                throw new ValidationException(where(row) + field + "[" + k + "] = " + values[k] + ": " + rule);
            }
        }
    }

    private String where(int row) {
        return (source == null ? "example " + (row + 1) : source + ":" + lines[row]) + ": ";
    }

    /**
     * Decodes a file as strict UTF-8, line by line, so that a bad byte is reported with its line. A file whose name
     * ends in {@code .gz} is decompressed first.
     */
    private static List<String> readLines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                    new java.io.ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw new ValidationException(file + ": not a valid gzip file (" + e.getMessage() + ")", e);
            }
        }
        List<String> out = new ArrayList<>();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = 0;
        int offset = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0; // a byte-order mark is not part of the text
        start = offset;
        for (int i = offset; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i == bytes.length && start == i) {
                    break;
                }
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                try {
                    out.add(decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
                } catch (CharacterCodingException e) {
                    throw new ValidationException(file + ":" + (out.size() + 1) + ": not valid UTF-8 text; save the "
                            + "file as UTF-8", e);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static int lastNonBlank(List<String> lines) {
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        return last;
    }

    private static long[] longs(JsonObject o, String key, String where) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw new ValidationException(where + key + " = " + abbreviate(e.toString()) + ": must be a list of "
                    + "integers");
        }
        JsonArray a = e.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(a.get(i), key + "[" + i + "]", where);
        }
        return out;
    }

    private static long integer(JsonElement e, String field, String where) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ValidationException(where + field + " = " + abbreviate(String.valueOf(e)) + ": must be an "
                    + "integer");
        }
        java.math.BigDecimal d;
        try {
            d = e.getAsBigDecimal();
        } catch (NumberFormatException ex) {
            throw new ValidationException(where + field + " = " + abbreviate(e.toString()) + ": must be an integer",
                    ex);
        }
        if (d.signum() < 0) {
            throw new ValidationException(where + field + " = " + d.toPlainString() + ": must be >= 0");
        }
        if (d.scale() > 0 && d.stripTrailingZeros().scale() > 0 || d.compareTo(INT_LIMIT) > 0) {
            throw new ValidationException(where + field + " = " + abbreviate(e.toString()) + ": must be an integer "
                    + "below 2^31");
        }
        return d.longValue();
    }

    private static final java.math.BigDecimal INT_LIMIT = java.math.BigDecimal.valueOf(Integer.MAX_VALUE);

    private static void sameFields(boolean first, boolean here, String field, int firstLine, String where) {
        if (first != here) {
            throw new ValidationException(where + (here ? "has" : "has no") + " '" + field + "' but line " + firstLine
                    + (first ? " has one" : " has none") + "; give it to every example or to none");
        }
    }

    private static void sameLength(long[] a, long[] ids, String field, String where) {
        if (a.length != ids.length) {
            throw new ValidationException(where + field + " has " + a.length + " entries but input_ids has "
                    + ids.length);
        }
    }

    private static String abbreviate(String s) {
        String one = oneLine(s);
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    /**
     * Wraps already tokenized single-row batches.
     *
     * @param rows one batch per example
     * @return the examples
     */
    public static Examples of(List<BertBatch> rows) {
        int[] lines = new int[rows.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i + 1;
        }
        return new Examples(rows, null, lines);
    }

    /**
     * Returns the number of examples.
     *
     * @return the count
     */
    public int size() {
        return rows.size();
    }

    /**
     * Returns the padded length of the examples (every row has it).
     *
     * @return the number of positions per row
     */
    public int sequenceLength() {
        return rows.get(0).sequenceLength();
    }

    /**
     * Returns whether every example has a label.
     *
     * @return true when labelled
     */
    public boolean labelled() {
        return rows.stream().allMatch(r -> r.labels() != null);
    }

    /**
     * Groups the examples into batches in file order; the last batch may be smaller (PyTorch's
     * {@code drop_last=False}).
     *
     * @param batchSize rows per batch
     * @return the batches
     */
    public List<BertBatch> batches(int batchSize) {
        return group(rows, batchSize);
    }

    /**
     * Groups a seeded permutation of the examples into batches (a new permutation per epoch).
     *
     * @param batchSize rows per batch
     * @param seed the base seed
     * @param epoch the epoch
     * @return the batches
     */
    public List<BertBatch> shuffledBatches(int batchSize, long seed, int epoch) {
        List<BertBatch> order = new ArrayList<>(rows);
        Collections.shuffle(order, new Random(Seeds.mix(seed, epoch)));
        return group(order, batchSize);
    }

    private static List<BertBatch> group(List<BertBatch> rows, int batchSize) {
        List<BertBatch> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += batchSize) {
            out.add(BertBatch.of(rows.subList(i, Math.min(rows.size(), i + batchSize))));
        }
        return out;
    }
}
