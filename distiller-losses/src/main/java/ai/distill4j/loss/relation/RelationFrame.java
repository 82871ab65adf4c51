package ai.distill4j.loss.relation;

import ai.distill4j.loss.Arity;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * The frame the CKD relations over aligned layers share: check the inputs (a list of K+1 tensors {@code (B, L, d)}
 * per side, or a stack {@code (B, K+1, L, d)}), stack them the way the relation reads them, and run it inside a
 * {@link LossScope}. Word relations read layer-major stacks {@code (B, K+1, L, d)} and accept a single stacked
 * layer; layer relations read token-major stacks {@code (B, L, K+1, d)} and need two.
 */
final class RelationFrame {

    /** A relation loss over stacked layers. */
    @FunctionalInterface
    interface Relation {
        /**
         * Computes the loss.
         *
         * @param hiddenS the student's stack
         * @param hiddenT the teacher's stack, not yet detached
         * @param mask {@code (B, L)} or null
         * @return a scalar
         */
        NDArray of(NDArray hiddenS, NDArray hiddenT, NDArray mask);
    }

    /** The per-token term of a layer relation. */
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
    private final boolean tokenMajor;
    private final Relation relation;

    private RelationFrame(String name, boolean tokenMajor, Relation relation) {
        this.name = name;
        this.tokenMajor = tokenMajor;
        this.relation = relation;
    }

    /** The frame of a word relation: layer-major stacks {@code (B, K+1, L, d)}; a stack may hold one layer. */
    static RelationFrame layerMajor(String name, Relation relation) {
        return new RelationFrame(name, false, relation);
    }

    /**
     * The frame of a layer relation: token-major stacks {@code (B, L, K+1, d)}, at least two layers, and the sum of
     * the real tokens' terms divided by {@code (K+1)^p * sum_b n_b} (at least 1, so an all-padding batch gives 0).
     */
    static RelationFrame tokenMean(String name, int layerPower, PerToken term) {
        return new RelationFrame(name, true, (s, t, mask) -> tokenMean(name, s, t, mask, layerPower, term));
    }

    /** The loss from K+1 aligned layers per side, each {@code (B, L, d)}. */
    NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        AlignedLayers.check(name, tokenMajor ? Arity.MULTI : Arity.ONE_OR_MORE, student, teacher);
        return LossScope.run(student.get(0).getManager(), () -> relation.of(stack(student), stack(teacher), mask));
    }

    /** The loss from stacked layers {@code (B, K+1, L, d)}. */
    NDArray compute(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        AlignedLayers.checkStacked(name, hiddenS, hiddenT, tokenMajor ? 2 : 1);
        if (!tokenMajor) {
            return LossScope.run(hiddenS.getManager(), () -> relation.of(hiddenS, hiddenT, mask));
        }
        return LossScope.run(
                hiddenS.getManager(),
                () -> relation.of(hiddenS.transpose(0, 2, 1, 3), hiddenT.transpose(0, 2, 1, 3), mask));
    }

    private NDArray stack(List<NDArray> layers) {
        return tokenMajor ? AlignedLayers.stackByToken(layers) : AlignedLayers.stack(layers);
    }

    private static NDArray tokenMean(String name, NDArray hiddenS, NDArray hiddenT, NDArray mask, int layerPower,
            PerToken term) {
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
