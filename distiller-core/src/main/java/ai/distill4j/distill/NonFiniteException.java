package ai.distill4j.distill;

/**
 * Training stopped because a loss term, a gradient or the weights became NaN or infinite. The message names the
 * optimizer step, the forward batch and the term or parameter; nothing of the bad batch reached the weights, and the
 * newest checkpoint in the output folder is the last good state ({@code --resume} continues from it, e.g. after
 * lowering the learning rate).
 *
 * @since 0.1.0
 */
public class NonFiniteException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    /** The optimizer step at which the value appeared. */
    private final int step;
    /** The forward batch at which the value appeared. */
    private final long batch;
    /** The loss term or parameter that was not finite. */
    private final String term;

    /**
     * Creates the exception.
     *
     * @param message one line naming the step, the batch and the term
     * @param step the optimizer step the batch belonged to (the step about to be taken, from 1)
     * @param batch the forward batch, from 0, counting across epochs
     * @param term the loss term ({@code unweighted_kd_loss}, {@code total_loss}) or {@code "gradient of <param>"}
     *     or {@code "weight <param>"}
     */
    public NonFiniteException(String message, int step, long batch, String term) {
        super(message);
        this.step = step;
        this.batch = batch;
        this.term = term;
    }

    /**
     * Returns the optimizer step the bad batch belonged to.
     *
     * @return the step, from 1
     */
    public int step() {
        return step;
    }

    /**
     * Returns the forward batch.
     *
     * @return the batch index, from 0
     */
    public long batch() {
        return batch;
    }

    /**
     * Returns what was non-finite.
     *
     * @return a loss-term name, {@code "gradient of <param>"} or {@code "weight <param>"}
     */
    public String term() {
        return term;
    }
}
