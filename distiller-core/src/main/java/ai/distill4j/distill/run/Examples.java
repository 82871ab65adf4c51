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
