package ai.distill4j.loss.feature;

import ai.distill4j.loss.testing.RandomArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Set;

/** Inputs for the feature losses: attention scores, hidden states and pairs of hidden states. */
final class FeatureInputs {

    static final Set<String> ATTENTION = Set.of("attention_mse", "attention_mse_sum", "attention_ce", "attention_ce_mean");
    static final Set<String> PAIRS = Set.of("fsp", "gram", "mmd", "nst");
    static final int BATCH = 2;
    static final int HEADS = 2;
    static final int WIDTH = 3;
    /** HuggingFace's additive mask value, finfo(float32).min. */
    static final double FINFO_MIN = -3.4028234663852886e38;

    private FeatureInputs() {}

    /**
     * Raw inputs of one side of a loss, before any mask is added: one {@code (B, H, L, L)} attention map, one
     * {@code (B, L, D)} hidden state, or a pair of them.
     */
    static List<NDArray> raw(String loss, NDManager m, DataType type, long seed, int length, int width) {
        if (ATTENTION.contains(loss)) {
            return List.of(RandomArrays.normal(m, type, seed, 1, BATCH, HEADS, length, length));
        }
        NDArray h0 = RandomArrays.normal(m, type, seed, 1, BATCH, length, width);
        if (PAIRS.contains(loss)) {
            return List.of(h0, RandomArrays.normal(m, type, seed + 1000, 1, BATCH, length, width));
        }
        return List.of(h0);
    }

    /** Adds {@code (1 - m_j) * maskValue} to the key columns of attention inputs; other inputs pass through. */
    static List<NDArray> masked(String loss, List<NDArray> raw, NDArray mask, double maskValue) {
        if (!ATTENTION.contains(loss) || mask == null) {
            return raw;
        }
        NDArray a = raw.get(0);
        long b = a.getShape().get(0);
        long l = a.getShape().get(3);
        NDArray additive = mask.toType(a.getDataType(), false).neg().add(1).mul(maskValue).reshape(b, 1, 1, l);
        return List.of(a.add(additive));
    }
}
