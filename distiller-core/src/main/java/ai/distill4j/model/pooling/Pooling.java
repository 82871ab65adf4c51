package ai.distill4j.model.pooling;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A complete pooling setting: the {@link PoolingMode} and whether the pooled vector is scaled to unit L2 length
 * afterwards (Sentence-Transformers' {@code models.Normalize}: {@code v / max(‖v‖₂, 1e-12)}).
 *
 * <p>{@code all-MiniLM-L6-v2} uses {@code Pooling.of(PoolingMode.MEAN).normalized()}.
 *
 * @param mode how tokens are pooled
 * @param normalize whether the result is L2-normalised
 * @since 0.1.0
 */
public record Pooling(PoolingMode mode, boolean normalize) {

    /** The {@code eps} of the normalisation, as {@code torch.nn.functional.normalize}. */
    public static final double NORMALIZE_EPS = 1e-12;

    /**
     * Checks the mode.
     *
     * @param mode not null
     * @param normalize the flag
     */
    public Pooling {
        Objects.requireNonNull(mode, "pooling mode");
    }

    /**
     * Returns a pooling without normalisation.
     *
     * @param mode the mode
     * @return the pooling
     */
    public static Pooling of(PoolingMode mode) {
        return new Pooling(mode, false);
    }

    /**
     * Returns the mean over valid tokens without normalisation.
     *
     * @return the mean pooling
     */
    public static Pooling mean() {
        return of(PoolingMode.MEAN);
    }

    /**
     * Parses {@code mode} or {@code mode+normalize}, e.g. {@code mean+normalize} (the form {@link #toString()}
     * writes).
     *
     * @param text the text
     * @return the pooling
     * @throws IllegalArgumentException naming the value when the mode is unknown
     */
    public static Pooling parse(String text) {
        Objects.requireNonNull(text, "pooling");
        String t = text.trim();
        String suffix = "+normalize";
        boolean normalize = t.toLowerCase(java.util.Locale.ROOT).endsWith(suffix);
        String mode = normalize ? t.substring(0, t.length() - suffix.length()) : t;
        return new Pooling(PoolingMode.parse(mode), normalize);
    }

    /**
     * Returns a copy that L2-normalises.
     *
     * @return the copy
     */
    public Pooling normalized() {
        return new Pooling(mode, true);
    }

    /**
     * Pools token vectors and normalises when asked. Differentiable with respect to {@code tokens}; the result
     * attaches to {@code tokens}' manager.
     *
     * @param tokens {@code (B, S, H)}
     * @param attentionMask {@code (B, S)}, 1 valid, 0 padding
     * @return {@code (B, H)}
     * @throws IllegalArgumentException when the shapes do not fit together
     */
    public NDArray apply(NDArray tokens, NDArray attentionMask) {
        NDArray pooled = mode.pool(tokens, attentionMask);
        return normalize ? pooled.normalize(2, 1, NORMALIZE_EPS) : pooled;
    }

    /**
     * Returns {@code mode} or {@code mode+normalize}, e.g. {@code mean+normalize}.
     *
     * @return the text {@link #parse(String)} reads
     */
    @Override
    public String toString() {
        return mode.externalName() + (normalize ? "+normalize" : "");
    }
}
