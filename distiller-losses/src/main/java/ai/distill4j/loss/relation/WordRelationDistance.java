package ai.distill4j.loss.relation;

import ai.distill4j.loss.GraphArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * CKD word relation, pair-wise ({@code wr_dist}): within each aligned layer, the cosine similarities of a token to
 * the other tokens, turned into a distribution, must match the teacher's.
 *
 * <pre>
 * P_{b,k,i}(j) = softmax over j in V_b \ {i} of cos(r_{b,k,i}, r_{b,k,j})        (no temperature)
 * L = sum_b sum_k sum_{i in V_b} sum_{j in V_b \ {i}} P^T(j) (log P^T(j) - log P^S(j))
 *     / ((K+1) * sum_b n_b^2)
 * </pre>
 *
 * <ul>
 *   <li>Inputs: K+1 aligned hidden states per side, each {@code (B, L, d)}; {@code d_S} may differ from {@code d_T}
 *       (each cosine is taken inside its own model's space, so no projection is needed). Stacked form:
 *       {@code (B, K+1, L, d)}.
 *   <li>Mask: {@code (B, L)}, 1 = real token; V_b is the set of real tokens of example b and n_b its size. Only
 *       real tokens enter the softmax and the sums (padding never produces a NaN).
 *   <li>Reduction: one global sum divided by {@code (K+1) * sum_b n_b^2}; the denominator counts the diagonal, as
 *       the official code's {@code mask.sum()} does. An all-padding batch gives 0.
 *   <li>Teacher relations are constants (no gradient).
 * </ul>
 *
 * <pre>
 * Park, Kim, Yang. Distilling Linguistic Context for Language Model Compression. EMNLP 2021.
 * Official code: GeondoPark/CKD loss.py, class WR_Dist (distance "cos", lossfunc "kldiv").
 * </pre>
 *
 * @since 0.1.0
 */
public final class WordRelationDistance implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "wr_dist";

    private static final RelationFrame FRAME = RelationFrame.layerMajor(NAME, WordRelationDistance::relation);

    /** Creates the loss (it has no arguments). */
    public WordRelationDistance() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.ONE_OR_MORE;
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
     * Computes the loss from stacked layers. Unlike the list form (whose arity is {@link Arity#MULTI}), this form
     * also accepts a single layer, {@code K+1 = 1} (CKD's "final" or "emb" alignments).
     *
     * @param hiddenS the student's aligned layers {@code (B, K+1, L, d_S)}
     * @param hiddenT the teacher's aligned layers {@code (B, K+1, L, d_T)}
     * @param mask {@code (B, L)} or null (every token real)
     * @return a scalar
     */
    public NDArray compute(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        return FRAME.compute(hiddenS, hiddenT, mask);
    }

    private static NDArray relation(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        AlignedLayers.checkStacked(NAME, hiddenS, hiddenT, 1);
        long batch = hiddenS.getShape().get(0);
        long layers = hiddenS.getShape().get(1);
        long length = hiddenS.getShape().get(2);
        NDArray m = MaskedRows.maskOrOnes(NAME, mask, batch, length, hiddenS);
        // columns j allowed for row i: j real and j != i; shape (B, 1, L, L)
        NDArray offDiagonal = hiddenS.getManager().eye((int) length, (int) length, 0, hiddenS.getDataType()).neg().add(1);
        NDArray allowed = m.reshape(batch, 1, 1, length).mul(offDiagonal);
        NDArray logPs = MaskedRows.logSoftmax(cosines(hiddenS), allowed);
        NDArray logPt = MaskedRows.logSoftmax(cosines(AlignedLayers.constant(hiddenT, hiddenS)), allowed);
        NDArray rows = MaskedRows.kl(logPs, logPt); // (B, K+1, L)
        // a row counts when its token is real and it has another real token to compare with (n_b >= 2)
        double[] n = m.sum(new int[] {1}).toType(DataType.FLOAT64, false).toDoubleArray();
        double[] hasPairs = new double[n.length];
        double squares = 0;
        for (int b = 0; b < n.length; b++) {
            squares += n[b] * n[b];
            hasPairs[b] = n[b] >= 2 ? 1 : 0;
        }
        NDArray rowWeight = m.mul(GraphArrays.owned(m.getManager().create(hasPairs, new Shape(batch, 1))).toType(m.getDataType(), false));
        NDArray total = rows.mul(rowWeight.reshape(batch, 1, length)).sum();
        return Scalars.divide(total, Math.max(layers * squares, 1.0));
    }

    private static NDArray cosines(NDArray hidden) {
        return AlignedLayers.cosines(hidden);
    }
}
