package ai.distill4j.examples.quickstart;

import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.text.BertTokenizer;
import ai.distill4j.model.text.TokenizedBatch;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures a classifier's inference speed in milliseconds per example: the forward pass (eval mode, gradients off)
 * from token ids to logits, logits copied to the host; tokenization excluded. Batches of one example are unpadded;
 * larger batches are padded to their longest example. Each batch size is warmed up with one batch first; then every
 * batch runs {@value #REPEATS} times and its fastest run counts, which keeps the number close to what an idle
 * machine gives when other processes compete for the cores.
 *
 * @param batchSize the examples per forward pass
 * @param msPerExample wall-clock milliseconds per example
 * @param examples how many examples were timed
 * @since 0.1.0
 */
public record InferenceTiming(int batchSize, double msPerExample, int examples) {

    /** How many times each batch is run; the fastest run counts. */
    public static final int REPEATS = 3;

    /**
     * Times a model on texts.
     *
     * @param model the classifier
     * @param tokenizerJson its tokenizer
     * @param maxLength the truncation length
     * @param texts the texts to time; the last partial batch is dropped, one batch at least is timed
     * @param batchSize examples per forward pass
     * @return the timing
     * @throws IOException when the tokenizer cannot be read
     * @throws IllegalArgumentException when there are fewer texts than one batch
     */
    public static InferenceTiming measure(BertModel model, Path tokenizerJson, int maxLength, List<String> texts,
            int batchSize) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ": must be >= 1");
        }
        int batches = texts.size() / batchSize;
        if (batches == 0) {
            throw new IllegalArgumentException("timing at batch size " + batchSize + " needs at least " + batchSize
                    + " texts, got " + texts.size());
        }
        List<TokenizedBatch> tokenized = new ArrayList<>(batches);
        try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(maxLength).truncation(true)
                .padding(BertTokenizer.Padding.LONGEST).build()) {
            for (int b = 0; b < batches; b++) {
                tokenized.add(tok.encode(texts.subList(b * batchSize, (b + 1) * batchSize)));
            }
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            m.setName("timing");
            ParameterStore ps = new ParameterStore(m, false);
            forward(model, ps, m, tokenized.get(0)); // warm-up
            double ms = 0;
            for (TokenizedBatch t : tokenized) {
                long fastest = Long.MAX_VALUE;
                for (int r = 0; r < REPEATS; r++) {
                    long start = System.nanoTime();
                    forward(model, ps, m, t);
                    fastest = Math.min(fastest, System.nanoTime() - start);
                }
                ms += fastest / 1e6;
            }
            return new InferenceTiming(batchSize, ms / (batches * (double) batchSize), batches * batchSize);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private static void forward(BertModel model, ParameterStore ps, NDManager m, TokenizedBatch t) {
        try (NDManager step = m.newSubManager()) {
            model.infer(ps, t.toInputs(step)).logits().toFloatArray();
        }
    }
}
