package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * MiniLM value-relation transfer ({@code minilm_value}): the scaled dot products between the value vectors of one
 * layer, turned into distributions per head, must match the teacher's.
 *
 * <pre>
 * VR_{b,a} = softmax over real keys of (V_{b,a} V_{b,a}^T / sqrt(d_k))         (d_k: that model's head size)
 * L = (1/B) sum_b [ sum_a sum_{t in V_b} KL(VR^T_{b,a,t} || VR^S_{b,a,t}) ] / (A_h * n_b)
 * </pre>
 *
 * <ul>
 *   <li>Inputs: one value tensor per side (feature {@code value}), either per head {@code (B, A_h, S, d_k)} as the
 *       model exposes it, or joined {@code (B, S, H)}, which argument {@code heads} splits into heads. Student and
 *       teacher need the same head count; head sizes may differ.
 *   <li>Mask: {@code (B, S)}, 1 = real token; padding queries are dropped, padding keys get probability 0.
 *   <li>Reduction: per example divided by {@code A_h * n_b}, then the mean over the batch.
 *   <li>The teacher is a constant (no gradient).
 * </ul>
 *
 * <pre>
 * Wang, Wei, Dong, Bao, Yang, Zhou. MiniLM: Deep Self-Attention Distillation for Task-Agnostic Compression of
 * Pre-Trained Transformers. NeurIPS 2020.
 * </pre>
 *
 * @since 0.1.0
 */
public final class MiniLmValue implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "minilm_value";

    private final int heads;

    /**
     * Creates the loss.
     *
     * @param heads the head count used to split {@code (B, S, H)} inputs; 0 when inputs come per head
     * @throws IllegalArgumentException when negative
     */
    public MiniLmValue(int heads) {
        if (heads < 0) {
            throw new IllegalArgumentException("loss '" + NAME + "' argument 'heads' must be >= 1, got " + heads);
        }
        this.heads = heads;
    }

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /**
     * Computes the loss.
     *
     * @param student one student value tensor, {@code (B, A_h, S, d_k)} or {@code (B, S, H)}
     * @param teacher one teacher value tensor, {@code (B, A_h, S, d_k)} or {@code (B, S, H)}
     * @param mask {@code (B, S)} or null (every token real)
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        SingleInputs.check(
                NAME, student, teacher, "values of shape (batch, heads, length, head_size) or (batch, length, hidden)",
                3, 4);
        NDArray s = student.get(0);
        NDArray t = teacher.get(0);
        return LossScope.run(s.getManager(), () -> {
            NDArray vs = perHead(s, "student");
            NDArray vt = perHead(SingleInputs.constant(t, s), "teacher");
            if (vs.getShape().get(1) != vt.getShape().get(1)) {
                throw new IllegalArgumentException(
                        "loss '" + NAME + "' needs the same head count on both sides (MiniLM v1), got student "
                                + vs.getShape() + " and teacher " + vt.getShape() + "; minilmv2 has no such limit");
            }
            return AttentionRelationKl.fromSelfRelations(NAME, vs, vt, mask);
        });
    }

    private NDArray perHead(NDArray x, String side) {
        if (x.getShape().dimension() == 4) {
            if (heads != 0 && x.getShape().get(1) != heads) {
                throw new IllegalArgumentException(
                        "loss '" + NAME + "' argument 'heads' is " + heads + " but the " + side + " values have "
                                + x.getShape().get(1) + " heads " + x.getShape());
            }
            return x;
        }
        Shape s = x.getShape();
        if (heads == 0 || s.get(2) % heads != 0) {
            throw new IllegalArgumentException(
                    "loss '" + NAME + "' argument 'heads' must be set and divide the " + side
                            + " hidden size for values of shape (batch, length, hidden), got heads " + heads
                            + " and " + side + " shape " + s);
        }
        return Heads.split(x, heads);
    }
}
