package ai.distill4j.model.bert;

/**
 * The task head on top of the BERT encoder, matching HuggingFace's model classes.
 *
 * @since 0.1.0
 */
public enum BertHead {
    /** The bare encoder ({@code BertModel} without pooler): hidden states and attentions only. */
    NONE("BertModel"),
    /**
     * {@code BertForSequenceClassification}: pooler ({@code tanh(dense(h[:, 0]))}), dropout, then a linear classifier
     * giving logits of shape (B, num_labels).
     */
    SEQUENCE_CLASSIFICATION("BertForSequenceClassification"),
    /**
     * {@code BertForTokenClassification}: dropout on every token's last hidden state, then a linear classifier
     * giving logits of shape (B, S, num_labels); no pooler.
     */
    TOKEN_CLASSIFICATION("BertForTokenClassification");

    private final String architecture;

    BertHead(String architecture) {
        this.architecture = architecture;
    }

    /**
     * Returns the HuggingFace class name written to {@code config.json}'s {@code architectures}.
     *
     * @return the architecture name
     */
    public String architecture() {
        return architecture;
    }

    /**
     * Tells whether the head has a pooler ({@code pooler.dense.*}).
     *
     * @return true for {@link #SEQUENCE_CLASSIFICATION}
     */
    public boolean hasPooler() {
        return this == SEQUENCE_CLASSIFICATION;
    }

    /**
     * Tells whether the head has a classifier ({@code classifier.*}) and therefore logits.
     *
     * @return true for both classification heads
     */
    public boolean hasClassifier() {
        return this != NONE;
    }
}
