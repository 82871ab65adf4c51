package ai.distill4j.examples.quickstart;

import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.examples.data.LabeledEmail;
import ai.distill4j.examples.data.SpamDataset;
import ai.distill4j.model.text.BertTokenizer;
import ai.distill4j.model.text.TokenizedBatch;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Texts with one integer label each, aligned by index: the classifier's view of a data split.
 *
 * @param texts the texts, one line each (no tab, carriage return or newline)
 * @param labels the labels, one per text
 * @since 0.1.0
 */
public record LabeledTexts(List<String> texts, long[] labels) {

    /** The header of the TSV form: the column names a run file's {@code text_column}/{@code label_column} use. */
    public static final String TSV_HEADER = "text\tlabel";

    /**
     * Checks the alignment and that every text is one TSV field.
     *
     * @param texts the texts
     * @param labels the labels
     */
    public LabeledTexts {
        texts = List.copyOf(texts);
        labels = Objects.requireNonNull(labels, "labels").clone();
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException(
                    "labels has " + labels.length + " entries but there are " + texts.size() + " texts");
        }
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t.indexOf('\t') >= 0 || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("text " + i + " contains a tab or a line break");
            }
        }
    }

    /**
     * Takes the emails of a spam split as texts: subject and body joined by one space (the tokenizer reads a space
     * and {@link LabeledEmail#text()}'s newline alike), with the spam label.
     *
     * @param split the split
     * @return the texts and labels, in file order
     */
    public static LabeledTexts of(SpamDataset split) {
        List<String> texts = new ArrayList<>(split.size());
        long[] labels = new long[split.size()];
        int i = 0;
        for (LabeledEmail e : split.emails()) {
            texts.add(oneLine(e));
            labels[i++] = e.label();
        }
        return new LabeledTexts(texts, labels);
    }

    private static String oneLine(LabeledEmail e) {
        if (e.subject().isEmpty()) {
            return e.body();
        }
        return e.body().isEmpty() ? e.subject() : e.subject() + " " + e.body();
    }

    /**
     * Returns the number of texts.
     *
     * @return the count
     */
    public int size() {
        return texts.size();
    }

    /**
     * Returns the labels.
     *
     * @return a copy
     */
    @Override
    public long[] labels() {
        return labels.clone();
    }

    /**
     * Draws a stratified random subset: each label keeps its share (rounded, largest remainders first), the texts
     * of each label are drawn by a seeded shuffle, and the subset comes in a seeded random order. The split files
     * are sorted by a hash, which leaves long runs of one label, so their first rows are not a fair sample.
     *
     * @param n how many, 0 for all (then only the order is shuffled)
     * @param seed the seed
     * @return the subset
     */
    public LabeledTexts sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n = " + n + ": must be >= 0");
        }
        int total = size();
        int want = n == 0 || n > total ? total : n;
        java.util.TreeMap<Long, List<Integer>> byLabel = new java.util.TreeMap<>();
        for (int i = 0; i < total; i++) {
            byLabel.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        java.util.Map<Long, Integer> quota = new java.util.LinkedHashMap<>();
        java.util.Map<Long, Double> remainder = new java.util.LinkedHashMap<>();
        int assigned = 0;
        for (var e : byLabel.entrySet()) {
            double exact = (double) want * e.getValue().size() / total;
            quota.put(e.getKey(), (int) Math.floor(exact));
            remainder.put(e.getKey(), exact - Math.floor(exact));
            assigned += (int) Math.floor(exact);
        }
        List<Long> byRemainder = new ArrayList<>(remainder.keySet());
        byRemainder.sort((a, b) -> Double.compare(remainder.get(b), remainder.get(a)));
        for (int i = 0; assigned < want; i = (i + 1) % byRemainder.size()) {
            quota.merge(byRemainder.get(i), 1, Integer::sum);
            assigned++;
        }
        java.util.Random rng = new java.util.Random(seed);
        List<Integer> chosen = new ArrayList<>(want);
        for (var e : byLabel.entrySet()) {
            List<Integer> idx = new ArrayList<>(e.getValue());
            java.util.Collections.shuffle(idx, rng);
            chosen.addAll(idx.subList(0, quota.get(e.getKey())));
        }
        java.util.Collections.shuffle(chosen, rng);
        List<String> t = new ArrayList<>(want);
        long[] l = new long[want];
        for (int i = 0; i < want; i++) {
            t.add(texts.get(chosen.get(i)));
            l[i] = labels[chosen.get(i)];
        }
        return new LabeledTexts(t, l);
    }

    /**
     * Counts the texts with a label.
     *
     * @param label the label
     * @return how many texts carry it
     */
    public int count(long label) {
        int n = 0;
        for (long l : labels) {
            if (l == label) {
                n++;
            }
        }
        return n;
    }

    /**
     * Tokenizes every text into a one-row batch, truncated and padded to the tokenizer's maximum length (what a run
     * file's TSV data gives, so that both routes train on the same ids).
     *
     * @param tokenizerJson the {@code tokenizer.json}
     * @param maxLength the padded length
     * @return the examples, in order
     * @throws IOException when the tokenizer cannot be read
     */
    public Examples tokenize(Path tokenizerJson, int maxLength) throws IOException {
        List<BertBatch> rows = new ArrayList<>(size());
        try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(maxLength).truncation(true)
                .padding(BertTokenizer.Padding.MAX_LENGTH).build()) {
            TokenizedBatch t = tok.encode(texts);
            for (int i = 0; i < size(); i++) {
                rows.add(new BertBatch(new long[][] {t.ids()[i]}, new long[][] {t.mask()[i]},
                        new long[][] {t.types()[i]}, new long[] {labels[i]}, null));
            }
        }
        return Examples.of(rows);
    }

    /**
     * Writes the TSV form: the header {@value #TSV_HEADER}, then one text and its label per line (UTF-8).
     *
     * @param file the file (replaced)
     * @throws IOException when writing fails
     */
    public void writeTsv(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(TSV_HEADER);
            w.write('\n');
            for (int i = 0; i < size(); i++) {
                w.write(texts.get(i));
                w.write('\t');
                w.write(Long.toString(labels[i]));
                w.write('\n');
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledTexts t && texts.equals(t.texts) && java.util.Arrays.equals(labels, t.labels);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return 31 * texts.hashCode() + java.util.Arrays.hashCode(labels);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "LabeledTexts[" + size() + " texts]";
    }
}
