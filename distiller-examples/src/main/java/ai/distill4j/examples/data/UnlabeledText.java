package ai.distill4j.examples.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Unlabeled text for task-agnostic distillation: email texts and Europarl items mixed in one seeded order.
 *
 * <p>The emails contribute {@link LabeledEmail#text()} (subject and body; the labels are dropped, empty texts
 * skipped); use the training split only, so that dev and test stay unseen. The Europarl corpus contributes whatever
 * it is configured to yield (bodies or sentences, all languages or English only, a limit). The two lists are
 * concatenated and shuffled with {@code Collections.shuffle(list, new Random(seed))}, whose algorithm the JDK
 * specifies, so the same inputs and seed give the same order on every JVM.
 *
 * <pre>{@code
 * Path spam = SpamDataset.locate();
 * List<String> texts = UnlabeledText.builder()
 *         .addEmails(SpamDataset.read(spam, SpamDataset.Split.TRAIN).emails())
 *         .optEuroparl(EuroparlCorpus.builder().optSentences(true).optLimit(20_000).build())
 *         .optSeed(7)
 *         .build()
 *         .read();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class UnlabeledText {

    /** The seed used when none is set. */
    public static final long DEFAULT_SEED = 42L;

    private final List<String> emailTexts;
    private final EuroparlCorpus europarl;
    private final long seed;

    private UnlabeledText(Builder b) {
        this.emailTexts = List.copyOf(b.emailTexts);
        this.europarl = b.europarl;
        this.seed = b.seed;
    }

    /**
     * Starts a configuration with no sources and seed {@value #DEFAULT_SEED}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Collects the email texts and the Europarl items and shuffles them together.
     *
     * @return a new mutable list; its size is {@link #emailCount()} plus the number of Europarl items
     * @throws IOException if the Europarl resource cannot be read
     */
    public List<String> read() throws IOException {
        List<String> all = new ArrayList<>(emailTexts);
        if (europarl != null) {
            europarl.forEach(all::add);
        }
        Collections.shuffle(all, new Random(seed));
        return all;
    }

    /**
     * Returns how many email texts the mix holds.
     *
     * @return the number of non-empty email texts added
     */
    public int emailCount() {
        return emailTexts.size();
    }

    /**
     * Returns the seed of the shuffle.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Configures an {@link UnlabeledText}.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final List<String> emailTexts = new ArrayList<>();
        private EuroparlCorpus europarl;
        private long seed = DEFAULT_SEED;

        private Builder() {}

        /**
         * Adds the texts of emails (labels are ignored, empty texts skipped); may be called more than once.
         *
         * @param emails e.g. the training split's {@link SpamDataset#emails()}
         * @return this builder
         */
        public Builder addEmails(List<LabeledEmail> emails) {
            for (LabeledEmail email : Objects.requireNonNull(emails, "emails")) {
                String text = email.text();
                if (!text.isEmpty()) {
                    emailTexts.add(text);
                }
            }
            return this;
        }

        /**
         * Sets the Europarl source; read when {@link UnlabeledText#read()} is called. Default: none.
         *
         * @param europarl the configured corpus
         * @return this builder
         */
        public Builder optEuroparl(EuroparlCorpus europarl) {
            this.europarl = Objects.requireNonNull(europarl, "europarl");
            return this;
        }

        /**
         * Sets the shuffle seed. Default: {@value UnlabeledText#DEFAULT_SEED}.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the mix.
         *
         * @return the configured mix
         * @throws IllegalArgumentException if neither emails nor a Europarl source was given
         */
        public UnlabeledText build() {
            if (emailTexts.isEmpty() && europarl == null) {
                throw new IllegalArgumentException(
                        "sources must not be empty: add emails (addEmails) or a Europarl corpus (optEuroparl)");
            }
            return new UnlabeledText(this);
        }
    }
}
