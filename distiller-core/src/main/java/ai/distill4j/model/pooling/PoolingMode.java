package ai.distill4j.model.pooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * How token vectors {@code (B, S, H)} become one sentence vector {@code (B, H)}, with the attention mask
 * {@code (B, S)} (1 for a real token, 0 for padding) deciding which tokens count. Each mode computes exactly what
 * Sentence-Transformers' {@code models.Pooling} computes for the same single mode.
 *
 * @since 0.1.0
 */
public enum PoolingMode {
    /** The vector of the first token ({@code [CLS]}): {@code v = x[:, 0]}. Padding cannot affect it. */
    CLS("cls"),
    /**
     * The mean over valid tokens: {@code v = Σ_s m_s x_s / max(Σ_s m_s, 1e-9)}. The default of
     * {@code all-MiniLM-L6-v2}.
     */
    MEAN("mean"),
    /**
     * The element-wise maximum over valid tokens: padding positions are replaced by {@code -1e9} before the
     * maximum, so a row without any valid token gives {@code -1e9}.
     */
    MAX("max"),
    /** The sum over valid tokens divided by the square root of their number: {@code Σ_s m_s x_s / sqrt(max(Σ m, 1e-9))}. */
    MEAN_SQRT_LEN("mean_sqrt_len_tokens");

    /** The value that replaces padding positions before {@link #MAX} pooling (as Sentence-Transformers). */
    public static final float MAX_PADDING_VALUE = -1e9f;

    /** The smallest token count divided by (as Sentence-Transformers' {@code clamp(min=1e-9)}). */
    public static final float MIN_TOKEN_COUNT = 1e-9f;

    private final String externalName;

    PoolingMode(String externalName) {
        this.externalName = externalName;
    }

    /**
     * Returns the name Sentence-Transformers uses for the mode ({@code Pooling(pooling_mode=...)}): {@code cls},
     * {@code mean}, {@code max} or {@code mean_sqrt_len_tokens}.
     *
     * @return the name
     */
    public String externalName() {
        return externalName;
    }

    /**
     * Parses a mode by its external name, case-insensitively (the enum constant's name is accepted too).
     *
     * @param name {@code cls}, {@code mean}, {@code max} or {@code mean_sqrt_len_tokens}
     * @return the mode
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static PoolingMode parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (PoolingMode m : values()) {
                if (m.externalName.equals(n) || m.name().toLowerCase(Locale.ROOT).equals(n)) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("pooling = '" + name
                + "': must be one of \"cls\", \"mean\", \"max\", \"mean_sqrt_len_tokens\"");
    }

    /**
     * Pools token vectors into sentence vectors. The result is differentiable with respect to {@code tokens} and
     * attaches to {@code tokens}' manager.
     *
     * @param tokens the token vectors, {@code (B, S, H)}, floating point
     * @param attentionMask {@code (B, S)}, 1 for valid tokens and 0 for padding (any numeric type)
     * @return {@code (B, H)} in the dtype of {@code tokens}
     * @throws IllegalArgumentException when the shapes do not fit together
     */
    public NDArray pool(NDArray tokens, NDArray attentionMask) {
        checkShapes(tokens, attentionMask);
        if (this == CLS) {
            return tokens.get(":, 0, :");
        }
        NDArray m = attentionMask.toType(tokens.getDataType(), false).expandDims(2);
        if (this == MAX) {
            // valid: x * 1 + 0; padding: x * 0 + (-1e9), exactly as masked_fill(-1e9).
            NDArray fill = m.sub(1f).mul(-MAX_PADDING_VALUE);
            return tokens.mul(m).add(fill).max(new int[] {1});
        }
        NDArray sum = tokens.mul(m).sum(new int[] {1});
        NDArray count = m.sum(new int[] {1}).maximum(MIN_TOKEN_COUNT);
        return this == MEAN ? sum.div(count) : sum.div(count.sqrt());
    }

    private static void checkShapes(NDArray tokens, NDArray attentionMask) {
        Shape t = tokens.getShape();
        Shape m = attentionMask.getShape();
        if (t.dimension() != 3) {
            throw new IllegalArgumentException("pooling needs token vectors of shape (batch, tokens, hidden), got " + t);
        }
        if (m.dimension() != 2 || m.get(0) != t.get(0) || m.get(1) != t.get(1)) {
            throw new IllegalArgumentException("pooling needs an attention mask of shape (" + t.get(0) + ", "
                    + t.get(1) + ") for token vectors " + t + ", got " + m);
        }
        if (t.get(1) == 0) {
            throw new IllegalArgumentException("pooling needs at least one token, got token vectors " + t);
        }
    }
}
