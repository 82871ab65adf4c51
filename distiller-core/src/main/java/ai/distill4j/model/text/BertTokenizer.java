package ai.distill4j.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A BERT tokenizer over a HuggingFace {@code tokenizer.json}, built with EXPLICIT maximum length, truncation and
 * padding: DJL's {@code HuggingFaceTokenizer.newInstance(path)} silently applies whatever truncation and padding
 * the file carries, which this class never relies on.
 *
 * <p>Holds a native handle: close it when done.
 *
 * <pre>{@code
 * try (BertTokenizer tok = BertTokenizer.builder(dir.resolve("tokenizer.json")).maxLength(128).build()) {
 *     TokenizedBatch batch = tok.encode(List.of("a first text", "a second one"));
 *     BertInputs in = batch.toInputs(stepManager);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class BertTokenizer implements AutoCloseable {

    /** How a batch is padded. */
    public enum Padding {
        /** Pad every row to the longest row of the batch (then to the multiple, if set). */
        LONGEST,
        /** Pad every row to the maximum length. */
        MAX_LENGTH
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final boolean truncation;
    private final Padding padding;
    private final int padToMultipleOf;

    private BertTokenizer(HuggingFaceTokenizer tokenizer, Builder b) {
        this.tokenizer = tokenizer;
        this.maxLength = b.maxLength;
        this.truncation = b.truncation;
        this.padding = b.padding;
        this.padToMultipleOf = b.padToMultipleOf;
    }

    /**
     * Starts a builder.
     *
     * @param tokenizerJson the {@code tokenizer.json} file
     * @return a builder; {@link Builder#maxLength(int)} is required
     */
    public static Builder builder(Path tokenizerJson) {
        return new Builder(tokenizerJson);
    }

    /**
     * Tokenizes single texts: {@code [CLS] text [SEP]}, token types all 0.
     *
     * @param texts the texts
     * @return the padded batch
     */
    public TokenizedBatch encode(List<String> texts) {
        if (texts.isEmpty()) {
            return new TokenizedBatch(new long[0][], new long[0][], new long[0][]);
        }
        return toBatch(tokenizer.batchEncode(texts));
    }

    /**
     * Tokenizes text pairs: {@code [CLS] first [SEP] second [SEP]}, token types 0 then 1. With truncation the
     * longer of the two is shortened first.
     *
     * @param first the first texts
     * @param second the second texts, one per first text
     * @return the padded batch
     */
    public TokenizedBatch encodePairs(List<String> first, List<String> second) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException("encodePairs needs as many second texts (" + second.size()
                    + ") as first texts (" + first.size() + ")");
        }
        if (first.isEmpty()) {
            return new TokenizedBatch(new long[0][], new long[0][], new long[0][]);
        }
        return toBatch(tokenizer.batchEncode(new PairList<>(first, second)));
    }

    private static TokenizedBatch toBatch(Encoding[] enc) {
        long[][] ids = new long[enc.length][];
        long[][] mask = new long[enc.length][];
        long[][] types = new long[enc.length][];
        for (int i = 0; i < enc.length; i++) {
            ids[i] = enc[i].getIds();
            mask[i] = enc[i].getAttentionMask();
            types[i] = enc[i].getTypeIds();
        }
        return new TokenizedBatch(ids, mask, types);
    }

    /**
     * Turns token ids back into text.
     *
     * @param ids token ids
     * @param skipSpecialTokens true to drop {@code [CLS]}, {@code [SEP]}, {@code [PAD]}
     * @return the text
     */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    /**
     * Returns the maximum length in tokens, special tokens included.
     *
     * @return the maximum length
     */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Tells whether inputs longer than {@link #maxLength()} are truncated.
     *
     * @return the truncation flag
     */
    public boolean truncation() {
        return truncation;
    }

    /**
     * Returns the padding strategy.
     *
     * @return the padding
     */
    public Padding padding() {
        return padding;
    }

    /**
     * Returns the multiple the padded length is rounded up to (0 for none).
     *
     * @return the multiple
     */
    public int padToMultipleOf() {
        return padToMultipleOf;
    }

    /** Releases the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * Builder of {@link BertTokenizer}; every setting is explicit, none is taken from {@code tokenizer.json}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Path tokenizerJson;
        private int maxLength = -1;
        private boolean truncation = true;
        private Padding padding = Padding.LONGEST;
        private int padToMultipleOf;
        private boolean addSpecialTokens = true;

        private Builder(Path tokenizerJson) {
            this.tokenizerJson = Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        }

        /**
         * Sets the maximum length in tokens, special tokens included (required).
         *
         * @param v a positive length, at most the model's {@code max_position_embeddings}
         * @return this builder
         */
        public Builder maxLength(int v) {
            maxLength = v;
            return this;
        }

        /**
         * Sets whether longer inputs are truncated to the maximum length (default true, longest-first for pairs).
         *
         * @param v the flag
         * @return this builder
         */
        public Builder truncation(boolean v) {
            truncation = v;
            return this;
        }

        /**
         * Sets the padding strategy (default {@link Padding#LONGEST}).
         *
         * @param v the strategy
         * @return this builder
         */
        public Builder padding(Padding v) {
            padding = Objects.requireNonNull(v, "padding");
            return this;
        }

        /**
         * Rounds the padded length up to a multiple (e.g. 8), or 0 for none (default).
         *
         * @param v the multiple, or 0
         * @return this builder
         */
        public Builder padToMultipleOf(int v) {
            padToMultipleOf = v;
            return this;
        }

        /**
         * Sets whether {@code [CLS]}/{@code [SEP]} are added (default true).
         *
         * @param v the flag
         * @return this builder
         */
        public Builder addSpecialTokens(boolean v) {
            addSpecialTokens = v;
            return this;
        }

        /**
         * Validates the settings and loads the tokenizer.
         *
         * @return the tokenizer
         * @throws IOException when the file cannot be read
         * @throws IllegalArgumentException naming an invalid setting
         */
        public BertTokenizer build() throws IOException {
            if (maxLength <= 0) {
                throw new IllegalArgumentException("tokenizer maxLength = " + maxLength
                        + " must be set to a positive number of tokens");
            }
            if (padToMultipleOf < 0) {
                throw new IllegalArgumentException("tokenizer padToMultipleOf = " + padToMultipleOf
                        + " must be >= 0");
            }
            if (padding == Padding.MAX_LENGTH && padToMultipleOf > 0 && maxLength % padToMultipleOf != 0) {
                throw new IllegalArgumentException("tokenizer padToMultipleOf = " + padToMultipleOf
                        + " must divide maxLength = " + maxLength + " when padding to the maximum length");
            }
            if (!Files.isRegularFile(tokenizerJson)) {
                throw new IOException(tokenizerJson + ": tokenizer file not found");
            }
            HuggingFaceTokenizer.Builder b = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optMaxLength(maxLength)
                    .optTruncation(truncation)
                    .optAddSpecialTokens(addSpecialTokens);
            if (padding == Padding.MAX_LENGTH) {
                b.optPadToMaxLength();
            } else {
                b.optPadding(true);
            }
            if (padToMultipleOf > 0) {
                b.optPadToMultipleOf(padToMultipleOf);
            }
            try {
                return new BertTokenizer(b.build(), this);
            } catch (RuntimeException e) {
                throw new IOException(tokenizerJson + ": cannot load the tokenizer: " + e.getMessage(), e);
            }
        }
    }
}
