package ai.distill4j.model.pooling;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.text.TokenizedBatch;

/** Tiny models and hand-made token batches for the sentence-embedding tests. */
public final class SentenceTestModels {

    private SentenceTestModels() {}

    /**
     * A 2-layer BERT of width 16 with a large initializer range (activations far from uniform).
     *
     * @return the config
     */
    public static BertConfig tinyConfig() {
        return BertConfig.builder().vocabSize(50).hiddenSize(16).numHiddenLayers(2).numAttentionHeads(4)
                .intermediateSize(32).maxPositionEmbeddings(24).typeVocabSize(2).initializerRange(0.5).build();
    }

    /**
     * Five right-padded rows of different lengths (ids 1..49, pad 0), padded to 8 columns.
     *
     * @return the batch
     */
    public static TokenizedBatch fiveRows() {
        long[][] ids = {
            {2, 7, 9, 11, 3, 0, 0, 0},
            {2, 13, 3, 0, 0, 0, 0, 0},
            {2, 21, 22, 23, 24, 25, 26, 3},
            {2, 30, 31, 3, 0, 0, 0, 0},
            {2, 44, 45, 46, 47, 3, 0, 0}};
        return padded(ids);
    }

    /**
     * Builds the mask and token types of right-padded ids (0 is padding).
     *
     * @param ids the ids
     * @return the batch
     */
    public static TokenizedBatch padded(long[][] ids) {
        long[][] mask = new long[ids.length][];
        long[][] types = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            mask[i] = new long[ids[i].length];
            types[i] = new long[ids[i].length];
            for (int j = 0; j < ids[i].length; j++) {
                mask[i][j] = ids[i][j] != 0 ? 1 : 0;
            }
        }
        return new TokenizedBatch(ids, mask, types);
    }
}
