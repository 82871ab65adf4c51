package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * CKD layer transforming relation, pair-wise ({@code ltr_dist}): for each token, the cosine similarities of its
 * representation in one aligned layer to its representations in the other aligned layers, turned into a
 * distribution, must match the teacher's.
 *
 * <pre>
 * Q_{b,i,k}(m) = softmax over m != k of cos(r_{b,k,i}, r_{b,m,i})      (k, m = 0..K, no temperature)
 * L = sum_b sum_{i in V_b} sum_k sum_{m != k} Q^T(m) (log Q^T(m) - log Q^S(m)) / ((K+1)^2 * sum_b n_b)
 * </pre>
 *
 * <ul>
 *   <li>Inputs: K+1 aligned hidden states per side, each {@code (B, L, d)}; {@code d_S} may differ from
 *       {@code d_T}. Stacked form: {@code (B, K+1, L, d)}.
 *   <li>Mask: {@code (B, L)}, 1 = real token; only real tokens are summed.
 *   <li>Reduction: a global sum divided by {@code (K+1)^2 * sum_b n_b} (the official {@code mask.sum()}, diagonal
 *       included). An all-padding batch gives 0.
 *   <li>Teacher relations are constants (no gradient).
 * </ul>
 *
 * <pre>
 * Park, Kim, Yang. Distilling Linguistic Context for Language Model Compression. EMNLP 2021.
 * Official code: GeondoPark/CKD loss.py, class LTR_Dist.
 * </pre>
 *
 * @since 0.1.0
 */
public final class LayerRelationDistance implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "ltr_dist";

    private static final RelationFrame FRAME = RelationFrame.tokenMean(NAME, 2, LayerRelationDistance::perToken);

    /** Creates the loss (it has no arguments). */
    public LayerRelationDistance() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.MULTI;
    }

    /**
     * Computes the loss from the aligned layers.
     *
     * @param student K+1 student hidden states {@code (B, L, d_S)}
     * @param teacher K+1 teacher hidden states {@code (B, L, d_T)}
     * @param mask {@code (B, L)} or null (every token real)
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        return FRAME.compute(student, teacher, mask);
    }

    /**
     * Computes the loss from stacked layers.
     *
     * @param hiddenS the student's aligned layers {@code (B, K+1, L, d_S)}
     * @param hiddenT the teacher's aligned layers {@code (B, K+1, L, d_T)}
     * @param mask {@code (B, L)} or null (every token real)
     * @return a scalar
     */
    public NDArray compute(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        return FRAME.compute(hiddenS, hiddenT, mask);
    }

    /** Each token's KL divergence, from token-major stacks {@code (B, L, K+1, d)} to {@code (B, L)}. */
    private static NDArray perToken(NDArray hiddenS, NDArray hiddenT) {
        long layers = hiddenS.getShape().get(2);
        NDArray offDiagonal = hiddenS.getManager().eye((int) layers, (int) layers, 0, hiddenS.getDataType()).neg().add(1);
        NDArray logQs = MaskedRows.logSoftmax(cosines(hiddenS), offDiagonal);
        NDArray logQt = MaskedRows.logSoftmax(cosines(AlignedLayers.constant(hiddenT, hiddenS)), offDiagonal);
        return MaskedRows.kl(logQs, logQt).sum(new int[] {-1});
    }

    /** Cosines between the layers of each token: {@code (B, L, K+1, d)} to {@code (B, L, K+1, K+1)}. */
    private static NDArray cosines(NDArray hidden) {
        return AlignedLayers.cosines(hidden);
    }
}
