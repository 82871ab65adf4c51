package ai.distill4j.loss.relation;

import ai.distill4j.loss.GraphArrays;
import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The KL reduction MiniLM and MiniLMv2 share: row distributions over the real key positions, KL(teacher ||
 * student) summed over heads and real query rows, divided per example by {@code heads * n_b}, then averaged over
 * the batch. Rows of padding queries get weight 0, which also covers examples without any real token.
 *
 * <pre>
 * L = (1/B) sum_b [ sum_a sum_{t in V_b} KL(softmax_{V_b}(T_{b,a,t}) || softmax_{V_b}(S_{b,a,t})) ] / (A * n_b)
 * </pre>
 */
final class AttentionRelationKl {

    private AttentionRelationKl() {}

    /**
     * Computes the loss from relation logits such as attention scores.
     *
     * @param lossName the registry name, for messages
     * @param logitsS the student's relation logits {@code (B, A, S, S)}
     * @param logitsT the teacher's relation logits {@code (B, A, S, S)}, a constant
     * @param mask {@code (B, S)} or null
     * @return a scalar
     */
    static NDArray fromLogits(String lossName, NDArray logitsS, NDArray logitsT, NDArray mask) {
        sameShape(lossName, logitsS.getShape(), logitsT.getShape());
        Shape s = logitsS.getShape();
        NDArray m = MaskedRows.maskOrOnes(lossName, mask, s.get(0), s.get(2), logitsS);
        NDArray allowed = m.reshape(s.get(0), 1, 1, s.get(2));
        return reduce(MaskedRows.logSoftmax(logitsS, allowed), MaskedRows.logSoftmax(logitsT, allowed), m);
    }

    /**
     * Computes the loss for self-relations {@code softmax(X X^T / sqrt(d))} of per-head vectors. The padding bias
     * of the key columns is folded into the matrix product ({@code [X, 1] [X, bias]^T}), which saves a full pass
     * over the {@code (B, A, S, S)} relation.
     *
     * @param lossName the registry name, for messages
     * @param xs the student's vectors {@code (B, A, S, d_S)}
     * @param xt the teacher's vectors {@code (B, A, S, d_T)}, a constant; same B, A and S
     * @param mask {@code (B, S)} or null
     * @return a scalar
     */
    static NDArray fromSelfRelations(String lossName, NDArray xs, NDArray xt, NDArray mask) {
        Shape s = xs.getShape();
        Shape t = xt.getShape();
        if (s.get(0) != t.get(0) || s.get(1) != t.get(1) || s.get(2) != t.get(2)) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs student and teacher vectors with the same batch, head count and"
                            + " length, got student " + s + " and teacher " + t);
        }
        NDArray m = MaskedRows.maskOrOnes(lossName, mask, s.get(0), s.get(2), xs);
        NDArray bias = m.sub(1).mul(-MaskedRows.EXCLUDED).reshape(s.get(0), 1, s.get(2), 1).broadcast(s.get(0), s.get(1), s.get(2), 1);
        return reduce(selfRelationLogSoftmax(xs, bias), selfRelationLogSoftmax(xt, bias), m);
    }

    private static NDArray selfRelationLogSoftmax(NDArray x, NDArray bias) {
        Shape s = x.getShape();
        NDArray scaled = x.mul(GraphScalar.of(x, Math.pow(s.get(3), -0.25))); // X X^T / sqrt(d) = (X d^-1/4)(X d^-1/4)^T
        NDArray left = scaled.concat(x.getManager().ones(new Shape(s.get(0), s.get(1), s.get(2), 1), x.getDataType()), 3);
        NDArray right = scaled.concat(bias, 3);
        return left.matMul(right.transpose(0, 1, 3, 2)).logSoftmax(-1);
    }

    private static NDArray reduce(NDArray logPs, NDArray logPt, NDArray m) {
        Shape s = logPs.getShape();
        long batch = s.get(0);
        long heads = s.get(1);
        long length = s.get(2);
        NDArray perExample = MaskedRows.kl(logPs, logPt).mul(m.reshape(batch, 1, length)).sum(new int[] {1, 2});
        double[] n = m.sum(new int[] {1}).toType(DataType.FLOAT64, false).toDoubleArray();
        double[] weight = new double[n.length];
        for (int b = 0; b < n.length; b++) {
            weight[b] = 1.0 / (heads * Math.max(n[b], 1.0) * batch);
        }
        NDArray w = GraphArrays.owned(m.getManager().create(weight)).toType(logPs.getDataType(), false);
        return perExample.mul(w).sum();
    }

    private static void sameShape(String lossName, Shape s, Shape t) {
        if (!s.equals(t)) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs student and teacher relations of one shape (batch, heads, length,"
                            + " length), got student " + s + " and teacher " + t);
        }
    }
}
