package ai.distill4j.model.pooling;

import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.text.BertTokenizer;
import ai.distill4j.model.text.TokenizedBatch;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Embeds texts with a {@link BertModel} and a {@link Pooling}, batch by batch, the way a teacher is run: eval mode
 * (no dropout), gradients off on the calling thread, every activation in a per-batch manager that is closed before
 * the next batch. The model's weights are read, never changed, so an encoder over the student being trained sees
 * its current weights at every call.
 *
 * <p>Each batch is cut to its longest row before the forward pass (trailing columns that are padding in every row
 * are dropped), which changes nothing but the time it takes.
 *
 * <pre>{@code
 * try (BertTokenizer tok = BertTokenizer.builder(dir.resolve("tokenizer.json")).maxLength(256).build()) {
 *     SentenceEncoder enc = SentenceEncoder.builder(model).pooling(Pooling.mean().normalized())
 *             .tokenizer(tok).batchSize(32).build();
 *     float[][] vectors = enc.encode(List.of("A first sentence.", "Another one."));
 * }
 * }</pre>
 *
 * <p>An encoder does not own the model or the tokenizer; close them yourself.
 *
 * @since 0.1.0
 */
public final class SentenceEncoder {

    private final BertModel model;
    private final Pooling pooling;
    private final int batchSize;
    private final BertTokenizer tokenizer;
    private final boolean lowerCase;

    private SentenceEncoder(Builder b) {
        this.model = b.model;
        this.pooling = b.pooling;
        this.batchSize = b.batchSize;
        this.tokenizer = b.tokenizer;
        this.lowerCase = b.lowerCase;
    }

    /**
     * Starts a builder over a model.
     *
     * @param model an initialised BERT (any head; only the hidden states are used)
     * @return a builder: mean pooling without normalisation, batches of 32, no tokenizer
     */
    public static Builder builder(BertModel model) {
        return new Builder(model);
    }

    /**
     * Returns the model.
     *
     * @return the model
     */
    public BertModel model() {
        return model;
    }

    /**
     * Returns the pooling.
     *
     * @return the pooling
     */
    public Pooling pooling() {
        return pooling;
    }

    /**
     * Returns the number of texts per forward pass.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the width of the sentence vectors.
     *
     * @return the model's hidden size
     */
    public int dimension() {
        return model.config().hiddenSize();
    }

    /**
     * Tells whether {@link #encode(List)} can be used.
     *
     * @return true when the encoder has a tokenizer
     */
    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    /**
     * Tokenizes and embeds texts (lower-cased first when the encoder was built with {@code lowerCase(true)}, as
     * Sentence-Transformers' {@code do_lower_case}).
     *
     * @param texts the texts
     * @return one vector of {@link #dimension()} floats per text, in order
     * @throws IllegalStateException when the encoder has no tokenizer
     */
    public float[][] encode(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (tokenizer == null) {
            throw new IllegalStateException("this SentenceEncoder has no tokenizer: build it with tokenizer(...) or "
                    + "encode a TokenizedBatch");
        }
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += batchSize) {
            int to = Math.min(texts.size(), from + batchSize);
            List<String> chunk = new ArrayList<>(texts.subList(from, to));
            if (lowerCase) {
                chunk.replaceAll(t -> t.toLowerCase(Locale.ROOT));
            }
            TokenizedBatch tokens = tokenizer.encode(chunk);
            float[][] v = encode(tokens);
            System.arraycopy(v, 0, out, from, v.length);
        }
        return out;
    }

    /**
     * Embeds an already tokenized set of texts.
     *
     * @param tokens the tokens, any number of rows (split into batches of {@link #batchSize()})
     * @return one vector of {@link #dimension()} floats per row, in order
     */
    public float[][] encode(TokenizedBatch tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (!model.isInitialized()) {
            throw new IllegalStateException("the SentenceEncoder's BertModel is not initialised");
        }
        Parameter first = model.namedParameters().values().iterator().next();
        Device device = first.getArray().getDevice();
        float[][] out = new float[tokens.size()][];
        int h = dimension();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < tokens.size(); from += batchSize) {
                int to = Math.min(tokens.size(), from + batchSize);
                try (NDManager step = NDManager.newBaseManager(device)) {
                    BertInputs in = slice(tokens, from, to).toInputs(step);
                    BertOutput o = model.infer(new ParameterStore(step, false), in);
                    NDArray v = pooling.apply(o.lastHiddenState(), in.attentionMask());
                    float[] flat = v.toType(DataType.FLOAT32, false).toFloatArray();
                    for (int i = from; i < to; i++) {
                        int r = i - from;
                        out[i] = Arrays.copyOfRange(flat, r * h, (r + 1) * h);
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return out;
    }

    /**
     * Embeds an already tokenized set of texts into an array.
     *
     * @param tokens the tokens
     * @param manager the manager that will own the result
     * @return {@code (N, H)} float32
     */
    public NDArray encode(TokenizedBatch tokens, NDManager manager) {
        float[][] v = encode(tokens);
        float[] flat = new float[v.length * dimension()];
        for (int i = 0; i < v.length; i++) {
            System.arraycopy(v[i], 0, flat, i * dimension(), dimension());
        }
        return manager.create(flat, new Shape(v.length, dimension()));
    }

    /** Rows [from, to), cut after the last column that is a valid token in any of them. */
    private static TokenizedBatch slice(TokenizedBatch all, int from, int to) {
        int s = all.sequenceLength();
        int used = 1;
        for (int i = from; i < to; i++) {
            long[] m = all.mask()[i];
            for (int j = s - 1; j >= used; j--) {
                if (m[j] != 0) {
                    used = j + 1;
                    break;
                }
            }
        }
        int n = to - from;
        long[][] ids = new long[n][];
        long[][] mask = new long[n][];
        long[][] types = new long[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = Arrays.copyOf(all.ids()[from + i], used);
            mask[i] = Arrays.copyOf(all.mask()[from + i], used);
            types[i] = Arrays.copyOf(all.types()[from + i], used);
        }
        return new TokenizedBatch(ids, mask, types);
    }

    /**
     * Builder of {@link SentenceEncoder}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final BertModel model;
        private Pooling pooling = Pooling.mean();
        private int batchSize = 32;
        private BertTokenizer tokenizer;
        private boolean lowerCase;

        private Builder(BertModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * Sets the pooling (default: mean over valid tokens, not normalised).
         *
         * @param v the pooling
         * @return this builder
         */
        public Builder pooling(Pooling v) {
            pooling = Objects.requireNonNull(v, "pooling");
            return this;
        }

        /**
         * Sets the number of texts per forward pass (default 32).
         *
         * @param v a positive number
         * @return this builder
         */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /**
         * Sets the tokenizer {@link SentenceEncoder#encode(List)} uses (not owned by the encoder).
         *
         * @param v the tokenizer, or null for none
         * @return this builder
         */
        public Builder tokenizer(BertTokenizer v) {
            tokenizer = v;
            return this;
        }

        /**
         * Sets whether texts are lower-cased before tokenization (Sentence-Transformers' {@code do_lower_case};
         * default false).
         *
         * @param v the flag
         * @return this builder
         */
        public Builder lowerCase(boolean v) {
            lowerCase = v;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the encoder
         * @throws IllegalArgumentException naming an invalid setting
         */
        public SentenceEncoder build() {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("encoder batchSize = " + batchSize + ": must be >= 1");
            }
            return new SentenceEncoder(this);
        }
    }
}
