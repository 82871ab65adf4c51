package ai.distill4j.examples.multiteacher;

import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.examples.data.LabeledEmail;
import ai.distill4j.examples.data.SpamDataset;
import ai.distill4j.examples.embedding.TextBatches;
import ai.distill4j.model.predict.ClassificationMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The spam task as the classification examples use it: the training and test splits of {@link SpamDataset}, seeded
 * samples of the training split, and labelled, length-bucketed batches of an email's subject and body.
 *
 * @param train the training split
 * @param test the test split
 * @since 0.1.0
 */
public record SpamTask(List<LabeledEmail> train, List<LabeledEmail> test) {

    /**
     * Copies the lists.
     *
     * @param train the training emails
     * @param test the test emails
     */
    public SpamTask {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    /**
     * Reads the committed splits ({@code data/spam} of the enclosing checkout).
     *
     * @return the task
     * @throws IOException when the files cannot be read
     */
    public static SpamTask load() throws IOException {
        Path dir = SpamDataset.locate();
        return new SpamTask(SpamDataset.read(dir, SpamDataset.Split.TRAIN).emails(),
                SpamDataset.read(dir, SpamDataset.Split.TEST).emails());
    }

    /**
     * Draws a seeded sample of the training split (a shuffle with {@code new Random(seed)}, then the first
     * {@code n}).
     *
     * @param n how many, at most the split's size
     * @param seed the seed
     * @return the sample
     */
    public List<LabeledEmail> trainSample(int n, long seed) {
        List<LabeledEmail> copy = new ArrayList<>(train);
        Collections.shuffle(copy, new Random(seed));
        return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
    }

    /**
     * Returns the first {@code n} test emails (the file is in a seeded hash order), or all when {@code n <= 0}.
     *
     * @param n how many, or 0 for all
     * @return the emails
     */
    public List<LabeledEmail> testSample(int n) {
        return n <= 0 || n >= test.size() ? test : test.subList(0, n);
    }

    /**
     * Tokenizes emails ({@link LabeledEmail#text()}) into labelled batches.
     *
     * @param tokenizerJson the tokenizer
     * @param emails the emails
     * @param maxLength truncation in tokens
     * @param batchSize rows per batch
     * @param seed the order's seed
     * @return the batches
     * @throws IOException when the tokenizer cannot be read
     */
    public static List<BertBatch> batches(Path tokenizerJson, List<LabeledEmail> emails, int maxLength, int batchSize,
            long seed) throws IOException {
        List<String> texts = new ArrayList<>(emails.size());
        int[] labels = new int[emails.size()];
        for (int i = 0; i < emails.size(); i++) {
            texts.add(emails.get(i).text());
            labels[i] = emails.get(i).label();
        }
        return TextBatches.labelled(tokenizerJson, texts, labels, maxLength, batchSize, seed);
    }

    /**
     * Scores a classifier's logits on spam emails: the predicted class of a row is its arg-max (the lower class on
     * ties), against {@link LabeledEmail#LABEL_NAMES}.
     *
     * @param logits one row of class scores per email
     * @param gold the emails' labels, aligned
     * @return the metrics
     * @throws IllegalArgumentException when the counts differ, are 0, or a class is not ham (0) or spam (1)
     */
    public static ClassificationMetrics score(float[][] logits, long[] gold) {
        return ClassificationMetrics.compute(gold, Logits.argMax(logits), LabeledEmail.LABEL_NAMES);
    }
}
