package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * The frame the layer transforming relations ({@code ltr_angle}, {@code ltr_dist}) share: check the aligned layers
 * (a list of K+1 tensors {@code (B, L, d)} or a stack {@code (B, K+1, L, d)}), arrange them token-major
 * {@code (B, L, K+1, d)}, take each token's term, and sum the terms of the real tokens divided by
 * {@code (K+1)^p * sum_b n_b} (at least 1, so an all-padding batch gives 0). Intermediates are freed by
 * {@link LossScope}.
 */
final class TokenLayerRelation {

    /** The per-token term of a relation. */
    @FunctionalInterface
    interface PerToken {
        /**
         * Computes the term of every token.
         *
         * @param hiddenS the student's token-major stack {@code (B, L, K+1, d_S)}
         * @param hiddenT the teacher's token-major stack {@code (B, L, K+1, d_T)}, not yet detached
         * @return {@code (B, L)}
         */
        NDArray of(NDArray hiddenS, NDArray hiddenT);
    }

    private final String name;
    private final int layerPower;
    private final PerToken term;

    /**
     * Creates the frame of one loss.
     *
     * @param name the registry name, for messages
     * @param layerPower {@code p}, the power of {@code K+1} in the divisor
     * @param term the per-token term
     */
    TokenLayerRelation(String name, int layerPower, PerToken term) {
        this.name = name;
        this.layerPower = layerPower;
        this.term = term;
    }

    /** The loss from K+1 aligned layers per side, each {@code (B, L, d)}. */
    NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        AlignedLayers.check(name, student, teacher);
        return LossScope.run(
                student.get(0).getManager(),
                () -> reduce(AlignedLayers.stackByToken(student), AlignedLayers.stackByToken(teacher), mask));
    }

    /** The loss from stacked layers {@code (B, K+1, L, d)}. */
    NDArray compute(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        AlignedLayers.checkStacked(name, hiddenS, hiddenT, 2);
        return LossScope.run(
                hiddenS.getManager(),
                () -> reduce(hiddenS.transpose(0, 2, 1, 3), hiddenT.transpose(0, 2, 1, 3), mask));
    }

    /** The loss from token-major stacks {@code (B, L, K+1, d)}. */
    private NDArray reduce(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        long batch = hiddenS.getShape().get(0);
        long length = hiddenS.getShape().get(1);
        long layers = hiddenS.getShape().get(2);
        NDArray m = MaskedRows.maskOrOnes(name, mask, batch, length, hiddenS);
        NDArray total = term.of(hiddenS, hiddenT).mul(m).sum();
        double tokens = m.sum().toType(DataType.FLOAT64, false).getDouble();
        double layerFactor = 1;
        for (int i = 0; i < layerPower; i++) {
            layerFactor *= layers;
        }
        return Scalars.divide(total, Math.max(layerFactor * tokens, 1.0));
    }
}
