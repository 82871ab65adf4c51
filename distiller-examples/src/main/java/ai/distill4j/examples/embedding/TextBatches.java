package ai.distill4j.examples.embedding;

import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.model.text.BertTokenizer;
import ai.distill4j.model.text.TokenizedBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Tokenizes texts once and groups them into {@link BertBatch}es of similar length, so that little compute goes into
 * padding: the examples' data path for training and evaluation.
 *
 * <p>The texts are tokenized with truncation at {@code maxLength} tokens ({@code [CLS]} and {@code [SEP]}
 * included). Their order is shuffled with {@code new Random(seed)}; then, window by window of
 * {@value #WINDOW_BATCHES} batches, the rows are sorted by length and cut into batches, and each batch is cut after
 * its longest row. Every text lands in exactly one batch; the last batch may be smaller. Labels, when given, travel
 * with their texts. The same texts, labels, length and seed always give the same batches.
 *
 * @since 0.1.0
 */
public final class TextBatches {

    /** How many batches' worth of rows are sorted together by length. */
    public static final int WINDOW_BATCHES = 16;

    private TextBatches() {}

    /**
     * Tokenizes and batches unlabeled texts.
     *
     * @param tokenizerJson the teacher's {@code tokenizer.json}
     * @param texts the texts
     * @param maxLength the truncation length in tokens, at least 2
     * @param batchSize rows per batch, at least 1
     * @param seed the shuffle seed
     * @return the batches, without labels
     * @throws IOException when the tokenizer cannot be read
     */
    public static List<BertBatch> unlabeled(Path tokenizerJson, List<String> texts, int maxLength, int batchSize,
            long seed) throws IOException {
        return batch(tokenize(tokenizerJson, texts, maxLength), null, batchSize, seed);
    }

    /**
     * Tokenizes and batches labelled texts.
     *
     * @param tokenizerJson the teacher's {@code tokenizer.json}
     * @param texts the texts
     * @param labels one class per text
     * @param maxLength the truncation length in tokens, at least 2
     * @param batchSize rows per batch, at least 1
     * @param seed the shuffle seed
     * @return the batches, with row labels
     * @throws IOException when the tokenizer cannot be read
     * @throws IllegalArgumentException when texts and labels differ in length
     */
    public static List<BertBatch> labelled(Path tokenizerJson, List<String> texts, int[] labels, int maxLength,
            int batchSize, long seed) throws IOException {
        if (labels.length != texts.size()) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries for " + texts.size()
                    + " texts");
        }
        return batch(tokenize(tokenizerJson, texts, maxLength), labels, batchSize, seed);
    }

    /**
     * Tokenizes texts with truncation, one unpadded row per text.
     *
     * @param tokenizerJson the tokenizer
     * @param texts the texts
     * @param maxLength the truncation length in tokens, at least 2
     * @return the token ids of each text, {@code [CLS] ... [SEP]}
     * @throws IOException when the tokenizer cannot be read
     */
    public static long[][] tokenize(Path tokenizerJson, List<String> texts, int maxLength) throws IOException {
        Objects.requireNonNull(texts, "texts");
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength = " + maxLength + ": must be >= 2 ([CLS] and [SEP])");
        }
        long[][] rows = new long[texts.size()][];
        int chunk = 256;
        try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(maxLength).truncation(true)
                .padding(BertTokenizer.Padding.LONGEST).build()) {
            for (int from = 0; from < texts.size(); from += chunk) {
                int to = Math.min(texts.size(), from + chunk);
                TokenizedBatch t = tok.encode(texts.subList(from, to));
                for (int i = 0; i < t.size(); i++) {
                    int n = 0;
                    while (n < t.mask()[i].length && t.mask()[i][n] != 0) {
                        n++;
                    }
                    rows[from + i] = Arrays.copyOf(t.ids()[i], n);
                }
            }
        }
        return rows;
    }

    /**
     * Groups token rows into length-sorted batches (see the class description).
     *
     * @param rows unpadded token ids, one row per text
     * @param labels one class per row, or {@code null}
     * @param batchSize rows per batch, at least 1
     * @param seed the shuffle seed
     * @return the batches, padded with 0 and masked
     */
    public static List<BertBatch> batch(long[][] rows, int[] labels, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ": must be >= 1");
        }
        List<Integer> order = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        List<BertBatch> out = new ArrayList<>();
        int window = batchSize * WINDOW_BATCHES;
        for (int from = 0; from < order.size(); from += window) {
            List<Integer> part = new ArrayList<>(order.subList(from, Math.min(order.size(), from + window)));
            part.sort(Comparator.comparingInt(i -> rows[i].length));
            List<BertBatch> windowBatches = new ArrayList<>();
            for (int b = 0; b < part.size(); b += batchSize) {
                windowBatches.add(toBatch(rows, labels, part.subList(b, Math.min(part.size(), b + batchSize))));
            }
            // Keep lengths mixed across the run: shuffle the batches of the window.
            Collections.shuffle(windowBatches, new Random(seed * 31 + from));
            out.addAll(windowBatches);
        }
        return out;
    }

    private static BertBatch toBatch(long[][] rows, int[] labels, List<Integer> members) {
        int len = 0;
        for (int i : members) {
            len = Math.max(len, rows[i].length);
        }
        long[][] ids = new long[members.size()][len];
        long[][] mask = new long[members.size()][len];
        long[] y = labels == null ? null : new long[members.size()];
        for (int r = 0; r < members.size(); r++) {
            long[] src = rows[members.get(r)];
            System.arraycopy(src, 0, ids[r], 0, src.length);
            Arrays.fill(mask[r], 0, src.length, 1L);
            if (y != null) {
                y[r] = labels[members.get(r)];
            }
        }
        return new BertBatch(ids, mask, null, y, null);
    }
}
