package ai.distill4j.model.predict;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.distill4j.model.text.BertTokenizer;
import ai.distill4j.model.text.TokenizedBatch;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A sequence classifier loaded from a HuggingFace model folder, which labels texts. It reads the folder's
 * {@code config.json} (architecture, sizes, {@code id2label}), {@code model.safetensors} and {@code tokenizer.json}
 * and nothing else.
 *
 * <p>Inference is batched and runs without gradients (PyTorch grad mode off, parameters frozen): texts are
 * tokenized with truncation at the maximum length, sorted by token count, cut into batches of the batch size and
 * each batch is padded only to its longest row, so short texts do not pay for long ones. Every batch runs in its own
 * NDManager, closed as soon as its probabilities are read. The results come back in input order. Padding does not
 * change a text's prediction: padded positions are masked out of attention (differences are float rounding).
 *
 * <p>Not thread-safe; holds the parameters and a native tokenizer: close it when done.
 *
 * <pre>{@code
 * try (TextClassifier classifier = TextClassifier.builder(Path.of("runs/student")).maxLength(128).build()) {
 *     for (Prediction p : classifier.predict(List.of("Win a FREE cruise now!", "Minutes of Monday's meeting"))) {
 *         System.out.println(p.label() + " " + p.confidence());
 *     }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TextClassifier implements AutoCloseable {

    /** The default maximum length in tokens, special tokens included. */
    public static final int DEFAULT_MAX_LENGTH = 128;
    /** The default number of texts per forward pass. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    /** Texts handed to the native tokenizer at once. */
    private static final int TOKENIZE_CHUNK = 256;

    private final Path modelDir;
    private final NDManager manager;
    private final BertModel model;
    private final BertTokenizer tokenizer;
    private final ParameterStore parameters;
    private final List<String> labels;
    private final int maxLength;
    private final int batchSize;
    private final long padId;

    private TextClassifier(Path modelDir, NDManager manager, BertModel model, BertTokenizer tokenizer, int maxLength,
            int batchSize) {
        this.modelDir = modelDir;
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.parameters = new ParameterStore(manager, false);
        BertConfig config = model.config();
        List<String> names = new ArrayList<>(config.numLabels());
        for (int i = 0; i < config.numLabels(); i++) {
            names.add(config.id2label().get(i));
        }
        this.labels = List.copyOf(names);
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        this.padId = config.padTokenId() != null ? config.padTokenId() : 0;
    }

    /**
     * Loads a model folder with the default maximum length and batch size.
     *
     * @param modelDir a folder with {@code config.json}, {@code model.safetensors} and {@code tokenizer.json}
     * @return the classifier
     * @throws IOException when a file is missing or unreadable, or the folder holds no trained classifier
     */
    public static TextClassifier load(Path modelDir) throws IOException {
        return builder(modelDir).build();
    }

    /**
     * Starts a builder.
     *
     * @param modelDir a folder with {@code config.json}, {@code model.safetensors} and {@code tokenizer.json}
     * @return a builder
     */
    public static Builder builder(Path modelDir) {
        return new Builder(modelDir);
    }

    /**
     * Labels texts in batches of {@link #batchSize()}.
     *
     * @param texts the texts (none null; empty texts are allowed)
     * @return one prediction per text, in input order
     */
    public List<Prediction> predict(List<String> texts) {
        return predict(texts, batchSize);
    }

    /**
     * Labels one text.
     *
     * @param text the text
     * @return its prediction
     */
    public Prediction predict(String text) {
        return predict(List.of(text), 1).get(0);
    }

    /**
     * Labels texts in batches of a given size (length-bucketed as described in the class comment).
     *
     * @param texts the texts (none null)
     * @param batchSize texts per forward pass, positive
     * @return one prediction per text, in input order
     * @throws IllegalArgumentException when the batch size is not positive
     * @throws NullPointerException naming the index of a null text
     */
    public List<Prediction> predict(List<String> texts, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize = " + batchSize + " must be positive");
        }
        int n = texts.size();
        for (int i = 0; i < n; i++) {
            if (texts.get(i) == null) {
                throw new NullPointerException("texts contains null at index " + i);
            }
        }
        long[][] ids = new long[n][];
        long[][] types = new long[n][];
        for (int from = 0; from < n; from += TOKENIZE_CHUNK) {
            int to = Math.min(n, from + TOKENIZE_CHUNK);
            TokenizedBatch enc = tokenizer.encode(texts.subList(from, to));
            for (int r = 0; r < enc.size(); r++) {
                int len = 0;
                long[] mask = enc.mask()[r];
                while (len < mask.length && mask[len] != 0) {
                    len++;
                }
                ids[from + r] = Arrays.copyOf(enc.ids()[r], len);
                types[from + r] = Arrays.copyOf(enc.types()[r], len);
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
        Prediction[] out = new Prediction[n];
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                runBatch(Arrays.copyOfRange(order, from, to), ids, types, out);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return List.of(out);
    }

    private void runBatch(Integer[] rows, long[][] ids, long[][] types, Prediction[] out) {
        int b = rows.length;
        int s = 0;
        for (int r : rows) {
            s = Math.max(s, ids[r].length);
        }
        long[] flatIds = new long[b * s];
        long[] flatMask = new long[b * s];
        long[] flatTypes = new long[b * s];
        Arrays.fill(flatIds, padId);
        for (int k = 0; k < b; k++) {
            long[] row = ids[rows[k]];
            System.arraycopy(row, 0, flatIds, k * s, row.length);
            System.arraycopy(types[rows[k]], 0, flatTypes, k * s, row.length);
            Arrays.fill(flatMask, k * s, k * s + row.length, 1L);
        }
        float[] logits;
        try (NDManager step = manager.newSubManager()) {
            Shape shape = new Shape(b, s);
            BertInputs in = new BertInputs(step.create(flatIds, shape), step.create(flatMask, shape),
                    step.create(flatTypes, shape));
            logits = model.infer(parameters, in).logits().toFloatArray();
        }
        int c = labels.size();
        for (int k = 0; k < b; k++) {
            out[rows[k]] = toPrediction(logits, k * c, c);
        }
    }

    private Prediction toPrediction(float[] logits, int offset, int c) {
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            double v = logits[offset + j];
            if (Double.isNaN(v)) {
                throw new IllegalStateException("the model in " + modelDir + " produced a NaN logit; the checkpoint"
                        + " is broken");
            }
            if (v > max) {
                max = v;
                best = j;
            }
        }
        double[] p = new double[c];
        double sum = 0;
        for (int j = 0; j < c; j++) {
            p[j] = Math.exp(logits[offset + j] - max);
            sum += p[j];
        }
        List<Double> probs = new ArrayList<>(c);
        for (int j = 0; j < c; j++) {
            probs.add(p[j] / sum);
        }
        return new Prediction(best, labels.get(best), probs, labels);
    }

    /**
     * Returns the class names, indexed by class id ({@code config.json}'s {@code id2label}).
     *
     * @return an unmodifiable list
     */
    public List<String> labels() {
        return labels;
    }

    /**
     * Returns the model's hyper-parameters.
     *
     * @return the config read from {@code config.json}
     */
    public BertConfig config() {
        return model.config();
    }

    /**
     * Returns the folder the model was loaded from.
     *
     * @return the model folder
     */
    public Path modelDir() {
        return modelDir;
    }

    /**
     * Returns the truncation length in tokens, special tokens included.
     *
     * @return the maximum length
     */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Returns the default number of texts per forward pass.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /** Releases the parameters and the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }

    /**
     * Builder of {@link TextClassifier}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Path modelDir;
        private int maxLength = DEFAULT_MAX_LENGTH;
        private int batchSize = DEFAULT_BATCH_SIZE;

        private Builder(Path modelDir) {
            this.modelDir = Objects.requireNonNull(modelDir, "modelDir");
        }

        /**
         * Sets the truncation length in tokens, special tokens included (default 128).
         *
         * @param v a length in {@code [2, max_position_embeddings]}
         * @return this builder
         */
        public Builder maxLength(int v) {
            maxLength = v;
            return this;
        }

        /**
         * Sets the number of texts per forward pass (default 32).
         *
         * @param v a positive batch size
         * @return this builder
         */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /**
         * Validates the settings and loads the model and its tokenizer.
         *
         * @return the classifier
         * @throws NoSuchFileException when the model folder does not exist
         * @throws IOException when {@code tokenizer.json}, {@code config.json} or the weights are missing or
         *     unreadable, or the weights lack the classifier (the message names the file)
         * @throws IllegalArgumentException when a setting is out of range or the model has no sequence-classification
         *     head (the message names the setting or the file)
         */
        public TextClassifier build() throws IOException {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size = " + batchSize + " must be positive");
            }
            if (!Files.isDirectory(modelDir)) {
                throw new NoSuchFileException(modelDir.toString(), null, "model folder not found");
            }
            Path tokenizerJson = modelDir.resolve(BertModels.TOKENIZER);
            if (!Files.isRegularFile(tokenizerJson)) {
                throw new IOException(tokenizerJson + ": missing; the model folder needs the tokenizer.json the"
                        + " model was trained with");
            }
            Path configJson = modelDir.resolve(BertModels.CONFIG);
            if (Files.isRegularFile(configJson)) {
                BertConfig config = BertConfig.read(configJson);
                if (config.impliedHead() != BertHead.SEQUENCE_CLASSIFICATION) {
                    throw new IllegalArgumentException(configJson + ": architectures " + config.architectures()
                            + " is not a sequence classifier; predicting labels needs a"
                            + " BertForSequenceClassification checkpoint (a fine-tuned or distilled classifier)");
                }
                int positions = config.maxPositionEmbeddings();
                if (maxLength < 2 || maxLength > positions) {
                    throw new IllegalArgumentException("max length = " + maxLength + " must be in [2, " + positions
                            + "] (max_position_embeddings of " + configJson + ")");
                }
            }
            NDManager manager = NDManager.newBaseManager();
            try {
                LoadedBert loaded = BertModels.load(modelDir, manager);
                if (!loaded.initialisedHeadTensors().isEmpty()) {
                    throw new IOException(modelDir.resolve(BertModels.WEIGHTS) + ": lacks the trained head tensors "
                            + loaded.initialisedHeadTensors() + "; its predictions would be random");
                }
                BertModel model = loaded.model();
                model.freezeParameters(true);
                BertTokenizer tokenizer = BertTokenizer.builder(tokenizerJson)
                        .maxLength(maxLength)
                        .truncation(true)
                        .padding(BertTokenizer.Padding.LONGEST)
                        .addSpecialTokens(true)
                        .build();
                return new TextClassifier(modelDir, manager, model, tokenizer, maxLength, batchSize);
            } catch (IOException | RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }
}
