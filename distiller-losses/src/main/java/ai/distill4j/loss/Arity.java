package ai.distill4j.loss;

/**
 * How many layers an intermediate-match loss takes from each side.
 *
 * @since 0.1.0
 */
public enum Arity {
    /** One tensor from the student and one from the teacher ({@code hidden_mse}, {@code cos}, ...). */
    SINGLE,
    /** Exactly two tensors from each side ({@code fsp}/{@code gram}, {@code mmd}/{@code nst}). */
    PAIR,
    /** Two or more aligned layers from each side, the same number on both (CKD layer relations). */
    MULTI,
    /**
     * One or more aligned layers from each side, the same number on both, as a list (CKD word relations, which
     * relate the tokens within each layer, so a single layer is meaningful).
     */
    ONE_OR_MORE;

    /**
     * Checks that {@code count} tensors per side fit this arity.
     *
     * @param lossName the registry name, for the message
     * @param count the number of tensors given per side
     * @throws IllegalArgumentException when the count does not fit
     */
    public void check(String lossName, int count) {
        boolean ok =
                switch (this) {
                    case SINGLE -> count == 1;
                    case PAIR -> count == 2;
                    case MULTI -> count >= 2;
                    case ONE_OR_MORE -> count >= 1;
                };
        if (!ok) {
            String want =
                    switch (this) {
                        case SINGLE -> "a single layer (layer_T and layer_S as one index each)";
                        case PAIR -> "a pair of layers (layer_T and layer_S as lists of exactly two)";
                        case MULTI -> "two or more aligned layers (layer_T and layer_S as lists of equal length >= 2)";
                        case ONE_OR_MORE -> "one or more aligned layers (layer_T and layer_S as lists of equal length)";
                    };
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' takes " + want + ", but was given " + count + " layer(s) per side");
        }
    }
}
