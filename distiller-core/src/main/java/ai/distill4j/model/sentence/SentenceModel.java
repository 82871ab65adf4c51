package ai.distill4j.model.sentence;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.text.BertTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A sentence-embedding model read from a Sentence-Transformers folder by {@link SentenceTransformers#load}: the
 * BERT encoder, its pooling (with normalisation when the folder has a {@code Normalize} module), the
 * {@code sentence_bert_config.json} settings and the tokenizer file.
 *
 * <p>The model's parameters live in the manager given to {@code load}. The tokenizer that {@link #encoder(int)}
 * opens is owned by this object: close it when done.
 *
 * @since 0.1.0
 */
public final class SentenceModel implements AutoCloseable {

    private final BertModel model;
    private final Pooling pooling;
    private final SentenceBertConfig sentenceBertConfig;
    private final Path tokenizerJson;
    private final List<ModuleEntry> modules;
    private BertTokenizer tokenizer;

    /**
     * Creates the value.
     *
     * @param model the encoder
     * @param pooling the pooling, normalised when the pipeline normalises
     * @param sentenceBertConfig the Transformer module's settings
     * @param tokenizerJson the tokenizer file, or null when the folder has none
     * @param modules the pipeline as read from {@code modules.json}
     */
    public SentenceModel(BertModel model, Pooling pooling, SentenceBertConfig sentenceBertConfig, Path tokenizerJson,
            List<ModuleEntry> modules) {
        this.model = Objects.requireNonNull(model, "model");
        this.pooling = Objects.requireNonNull(pooling, "pooling");
        this.sentenceBertConfig = Objects.requireNonNull(sentenceBertConfig, "sentenceBertConfig");
        this.tokenizerJson = tokenizerJson;
        this.modules = List.copyOf(modules);
    }

    /**
     * Returns the BERT encoder.
     *
     * @return the model
     */
    public BertModel model() {
        return model;
    }

    /**
     * Returns the encoder's config.
     *
     * @return the config
     */
    public BertConfig config() {
        return model.config();
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
     * Returns the Transformer module's settings.
     *
     * @return the settings
     */
    public SentenceBertConfig sentenceBertConfig() {
        return sentenceBertConfig;
    }

    /**
     * Returns the tokenizer file.
     *
     * @return the path, or null when the folder has no {@code tokenizer.json}
     */
    public Path tokenizerJson() {
        return tokenizerJson;
    }

    /**
     * Returns the pipeline as read from {@code modules.json}.
     *
     * @return the entries in order
     */
    public List<ModuleEntry> modules() {
        return modules;
    }

    /**
     * Returns the width of the sentence vectors.
     *
     * @return the hidden size
     */
    public int dimension() {
        return model.config().hiddenSize();
    }

    /**
     * Returns an encoder that embeds texts as Sentence-Transformers' {@code encode} does: lower-cased when
     * {@code do_lower_case}, truncated to {@code max_seq_length}, padded to the longest text of each batch, pooled
     * and normalised as the folder says. The first call opens the tokenizer.
     *
     * @param batchSize texts per forward pass
     * @return the encoder
     * @throws IOException when the tokenizer cannot be opened
     * @throws IllegalStateException when the folder has no tokenizer
     */
    public synchronized SentenceEncoder encoder(int batchSize) throws IOException {
        if (tokenizerJson == null) {
            throw new IllegalStateException("this sentence model has no tokenizer.json; encode TokenizedBatches with "
                    + "SentenceEncoder.builder(model()).pooling(pooling()) instead");
        }
        if (tokenizer == null) {
            tokenizer = BertTokenizer.builder(tokenizerJson).maxLength(sentenceBertConfig.maxSeqLength())
                    .truncation(true).padding(BertTokenizer.Padding.LONGEST).build();
        }
        return SentenceEncoder.builder(model).pooling(pooling).batchSize(batchSize).tokenizer(tokenizer)
                .lowerCase(sentenceBertConfig.doLowerCase()).build();
    }

    /**
     * Writes this model as a Sentence-Transformers folder (see {@link SentenceTransformers#save}).
     *
     * @param dir the folder
     * @throws IOException when writing fails
     */
    public void save(Path dir) throws IOException {
        SentenceTransformers.save(model, pooling, sentenceBertConfig, tokenizerJson, dir);
    }

    /** Closes the tokenizer, if one was opened. The model's parameters stay with their manager. */
    @Override
    public synchronized void close() {
        if (tokenizer != null) {
            tokenizer.close();
            tokenizer = null;
        }
    }
}
