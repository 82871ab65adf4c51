package ai.distill4j.loss.relation;

import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * CKD layer transforming relation, triple-wise ({@code ltr_angle}): for each token, the angles that its
 * representations in the aligned layers form at each layer must match the teacher's.
 *
 * <pre>
 * A_{b,i}(k; m, o) = &lt;u(r_{m,i} - r_{k,i}), u(r_{o,i} - r_{k,i})&gt;,  k, m, o = 0..K,  u(x) = x / max(|x|, 1e-12)
 * L = sum_b sum_{i in V_b} sum_{k,m,o} (A^S - A^T)^2 / ((K+1)^3 * sum_b n_b)
 * </pre>
 *
 * <ul>
 *   <li>Inputs: K+1 aligned hidden states per side, each {@code (B, L, d)}; {@code d_S} may differ from
 *       {@code d_T}. Stacked form: {@code (B, K+1, L, d)}.
 *   <li>Mask: {@code (B, L)}, 1 = real token; only real tokens are summed. Terms with {@code m = k} or
 *       {@code o = k} are 0 on both sides (zero difference vector).
 *   <li>Reduction: a global sum divided by {@code (K+1)^3 * sum_b n_b}. An all-padding batch gives 0.
 *   <li>Teacher relations are constants (no gradient).
 * </ul>
 *
 * <p>Computed from the Gram matrix of each token's layer representations, centred over the layers (angles do not
 * change under a common shift): {@code <r_m - r_k, r_o - r_k> = G_mo - G_km - G_ko + G_kk}. This needs
 * {@code B L (K+1)^2} values where the direct form needs {@code B L (K+1)^2 d}.
 *
 * <pre>
 * Park, Kim, Yang. Distilling Linguistic Context for Language Model Compression. EMNLP 2021.
 * Official code: GeondoPark/CKD loss.py, class LTR_Angle (lossfunc "l2loss").
 * </pre>
 *
 * @since 0.1.0
 */
public final class LayerRelationAngle implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "ltr_angle";

    private static final RelationFrame FRAME = RelationFrame.tokenMean(NAME, 3, LayerRelationAngle::perToken);

    /** Creates the loss (it has no arguments). */
    public LayerRelationAngle() {}

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

    /** Each token's squared angle differences, from token-major stacks {@code (B, L, K+1, d)} to {@code (B, L)}. */
    private static NDArray perToken(NDArray hiddenS, NDArray hiddenT) {
        long layers = hiddenS.getShape().get(2);
        NDArray eye = hiddenS.getManager().eye((int) layers).toType(hiddenS.getDataType(), false);
        NDArray as = angles(hiddenS, eye);
        NDArray at = angles(AlignedLayers.constant(hiddenT, hiddenS), eye);
        return as.sub(at).square().sum(new int[] {2, 3, 4});
    }

    /**
     * Angles at every layer of every token.
     *
     * @param hidden {@code (B, L, K+1, d)}
     * @param eye the identity {@code (K+1, K+1)} in the dtype of {@code hidden}
     * @return {@code (B, L, K+1, K+1, K+1)}, indexed {@code [b, i, k, m, o]}
     */
    private static NDArray angles(NDArray hidden, NDArray eye) {
        NDArray x = hidden.sub(hidden.mean(new int[] {2}, true));
        NDArray g = x.matMul(x.transpose(0, 1, 3, 2)); // (B, L, K+1, K+1)
        NDArray diag = g.diagonal(0, 2, 3); // (B, L, K+1)
        NDArray squared = diag.expandDims(3).add(diag.expandDims(2)).sub(g.mul(GraphScalar.of(g, 2))); // |r_m - r_k|^2 at [k, m]
        NDArray notSelf = eye.neg().add(1);
        NDArray inverse = notSelf.div(squared.mul(notSelf).add(eye).maximum(GraphScalar.of(g, 1e-24)).sqrt()); // [k, m]
        NDArray dots = g.expandDims(2) // G[m, o]
                .sub(g.expandDims(4)) // G[k, m]
                .sub(g.expandDims(3)) // G[k, o]
                .add(diag.expandDims(3).expandDims(4)); // G[k, k]
        return dots.mul(inverse.expandDims(4)).mul(inverse.expandDims(3));
    }
}
