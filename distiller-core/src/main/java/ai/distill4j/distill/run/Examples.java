package ai.distill4j.distill.run;

import ai.distill4j.distill.Seeds;
import ai.distill4j.distill.adapt.BertBatch;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Tokenized examples read from a JSON-lines file ({@code input_ids}, {@code attention_mask},
 * {@code token_type_ids}, {@code label} per line, right-padded), grouped into {@link BertBatch}es.
 *
 * @since 0.1.0
 */
public final class Examples {

    private final List<BertBatch> rows;

    private Examples(List<BertBatch> rows) {
        this.rows = List.copyOf(rows);
    }

    /**
     * Reads a JSON-lines file.
     *
     * @param file the file
     * @return the examples
     * @throws IOException when the file cannot be read or a line is malformed (the message names file and line)
     */
    public static Examples readJsonLines(Path file) throws IOException {
        List<BertBatch> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            int length = -1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                    long[] ids = longs(o, "input_ids", true);
                    long[] mask = longs(o, "attention_mask", false);
                    if (mask == null) {
                        mask = new long[ids.length];
                        java.util.Arrays.fill(mask, 1);
                    }
                    long[] types = longs(o, "token_type_ids", false);
                    long[] label = o.has("label") && !o.get("label").isJsonNull()
                            ? new long[] {o.get("label").getAsLong()} : null;
                    if (length >= 0 && ids.length != length) {
                        throw new IOException("input_ids has length " + ids.length + " but earlier lines have "
                                + length + "; rows must be padded to one length");
                    }
                    length = ids.length;
                    rows.add(new BertBatch(new long[][] {ids}, new long[][] {mask},
                            types == null ? null : new long[][] {types}, label, null));
                } catch (IOException | RuntimeException e) {
                    throw new IOException(file + ":" + n + ": " + e.getMessage(), e);
                }
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(file + ": no examples");
        }
        return new Examples(rows);
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
     * @throws IOException when the file cannot be read, a column is missing or a label is unknown (the message
     *     names file and line)
     */
    public static Examples readTsv(Path file, String textColumn, String labelColumn, Path tokenizerJson,
            int maxLength, java.util.Map<String, Integer> label2id) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty; expected a header row");
        }
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int text = header.indexOf(textColumn);
        if (text < 0) {
            throw new IOException(file + ": no column '" + textColumn + "' in the header " + header);
        }
        int label = labelColumn == null ? -1 : header.indexOf(labelColumn);
        if (labelColumn != null && label < 0) {
            throw new IOException(file + ": no column '" + labelColumn + "' in the header " + header);
        }
        List<String> texts = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            String[] cols = lines.get(n).split("\t", -1);
            if (cols.length != header.size()) {
                throw new IOException(file + ":" + (n + 1) + ": " + cols.length + " columns, the header has "
                        + header.size());
            }
            texts.add(cols[text]);
            if (label >= 0) {
                String v = cols[label].trim();
                Long id;
                try {
                    id = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    Integer mapped = label2id.get(v);
                    if (mapped == null) {
                        throw new IOException(file + ":" + (n + 1) + ": label '" + v + "' is neither an integer nor "
                                + "one of the model's labels " + label2id.keySet(), e);
                    }
                    id = mapped.longValue();
                }
                labels.add(id);
            }
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
        if (rows.isEmpty()) {
            throw new IOException(file + ": no examples");
        }
        return new Examples(rows);
    }

    private static long[] longs(JsonObject o, String key, boolean required) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new IllegalArgumentException("missing '" + key + "'");
            }
            return null;
        }
        JsonArray a = e.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    /**
     * Wraps already tokenized single-row batches.
     *
     * @param rows one batch per example
     * @return the examples
     */
    public static Examples of(List<BertBatch> rows) {
        return new Examples(rows);
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
