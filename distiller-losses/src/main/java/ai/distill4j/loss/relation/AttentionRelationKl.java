package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The KL reduction MiniLM and MiniLMv2 share: row distributions over the real key positions, KL(teacher ||
 * student) summed over heads and real query rows, divided per example by {@code heads * n_b}, then averaged over
 * the batch. Rows of padding queries get weight 0, which also covers examples without any real token.
 */
final class AttentionRelationKl {

    private AttentionRelationKl() {}

    /**
     * Computes the reduction.
     *
     * <pre>
     * L = (1/B) sum_b [ sum_a sum_{t in V_b} KL(softmax_{V_b}(T_{b,a,t}) || softmax_{V_b}(S_{b,a,t})) ] / (A * n_b)
     * </pre>
     *
     * @param lossName the registry name, for messages
     * @param logitsS the student's relation logits {@code (B, A, S, S)}
     * @param logitsT the teacher's relation logits {@code (B, A, S, S)}, a constant
     * @param mask {@code (B, S)} or null; an example without real tokens contributes 0
     * @return a scalar
     */
    static NDArray compute(String lossName, NDArray logitsS, NDArray logitsT, NDArray mask) {
        Shape s = logitsS.getShape();
        if (!s.equals(logitsT.getShape())) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs student and teacher relations of one shape (batch, heads, length,"
                            + " length), got student " + s + " and teacher " + logitsT.getShape());
        }
        long batch = s.get(0);
        long heads = s.get(1);
        long length = s.get(2);
        NDArray m = MaskedRows.maskOrOnes(lossName, mask, batch, length, logitsS);
        NDArray allowed = m.reshape(batch, 1, 1, length);
        NDArray logPs = MaskedRows.logSoftmax(logitsS, allowed);
        NDArray logPt = MaskedRows.logSoftmax(logitsT, allowed);
        NDArray perExample = MaskedRows.kl(logPs, logPt).mul(m.reshape(batch, 1, length)).sum(new int[] {1, 2});
        double[] n = m.sum(new int[] {1}).toType(DataType.FLOAT64, false).toDoubleArray();
        double[] weight = new double[n.length];
        for (int b = 0; b < n.length; b++) {
            weight[b] = 1.0 / (heads * Math.max(n[b], 1.0) * batch);
        }
        NDArray w = logitsS.getManager().create(weight).toType(logitsS.getDataType(), false);
        return perExample.mul(w).sum();
    }
}
