package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;
import java.util.Set;

/**
 * MiniLMv2 multi-head self-attention relation transfer ({@code minilmv2}): the query-query, key-key or value-value
 * relations of one layer, computed over relation heads that need not match the model's heads, must match the
 * teacher's.
 *
 * <pre>
 * X   = the model's query (or key, or value) vectors with every head joined: (B, S, H)
 * X_r = X split into A_r relation heads: (B, A_r, S, d_r),  d_r = H / A_r   (per model)
 * R   = softmax over real keys of (X_r X_r^T / sqrt(d_r))
 * L   = (1/B) sum_b [ sum_a sum_{t in V_b} KL(R^T_{b,a,t} || R^S_{b,a,t}) ] / (A_r * n_b)
 * </pre>
 *
 * <ul>
 *   <li>Inputs: one tensor per side (feature {@code query}, {@code key} or {@code value}), per head
 *       {@code (B, A, S, d)} as the model exposes it, or joined {@code (B, S, H)}. Head counts and hidden sizes of
 *       student and teacher may differ; {@code relation_heads} must divide both hidden sizes.
 *   <li>Arguments: {@code relation_heads} (A_r, default 48, the value for base-size teachers), {@code relation}
 *       ({@code "qq"}, {@code "kk"} or {@code "vv"}): a label saying which projection the match feeds in; the
 *       computation is the same self-relation for all three, so the match's feature decides what is compared. The
 *       paper weights the three relations equally: configure three matches with weight 1.
 *   <li>Mask: {@code (B, S)}, 1 = real token (the right-padded valid square of the reference code, for any mask).
 *   <li>Reduction: per example divided by {@code A_r * n_b}, then the mean over the batch.
 *   <li>The teacher is a constant (no gradient).
 * </ul>
 *
 * <pre>
 * Wang, Bao, Huang, Dong, Wei. MiniLMv2: Multi-Head Self-Attention Relation Distillation for Compressing
 * Pretrained Transformers. Findings of ACL 2021. Reference: bloomberg/minilmv2.bb minilmv2.py (_get_kl_loss).
 * </pre>
 *
 * @since 0.1.0
 */
public final class MiniLmV2Relation implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "minilmv2";

    /** The default number of relation heads. */
    public static final int DEFAULT_RELATION_HEADS = 48;

    /** The accepted values of the {@code relation} argument. */
    public static final Set<String> RELATIONS = Set.of("qq", "kk", "vv");

    private final int relationHeads;
    private final String relation;

    /**
     * Creates the loss.
     *
     * @param relationHeads A_r, at least 1
     * @param relation {@code "qq"}, {@code "kk"}, {@code "vv"}, or null when not stated
     * @throws IllegalArgumentException for a bad value
     */
    public MiniLmV2Relation(int relationHeads, String relation) {
        if (relationHeads < 1) {
            throw new IllegalArgumentException(
                    "loss '" + NAME + "' argument 'relation_heads' must be >= 1, got " + relationHeads);
        }
        if (relation != null && !RELATIONS.contains(relation)) {
            throw new IllegalArgumentException(
                    "loss '" + NAME + "' argument 'relation' must be one of qq, kk, vv, got '" + relation + "'");
        }
        this.relationHeads = relationHeads;
        this.relation = relation;
    }

    /**
     * Returns the number of relation heads.
     *
     * @return A_r
     */
    public int relationHeads() {
        return relationHeads;
    }

    /**
     * Returns the relation label.
     *
     * @return {@code "qq"}, {@code "kk"}, {@code "vv"} or null
     */
    public String relation() {
        return relation;
    }

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /**
     * Computes the loss.
     *
     * @param student one student tensor, {@code (B, A_S, S, d_S)} or {@code (B, S, H_S)}
     * @param teacher one teacher tensor, {@code (B, A_T, S, d_T)} or {@code (B, S, H_T)}
     * @param mask {@code (B, S)} or null (every token real)
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        SingleInputs.check(
                NAME, student, teacher,
                "query/key/value vectors of shape (batch, heads, length, head_size) or (batch, length, hidden)", 3, 4);
        NDArray s = student.get(0);
        NDArray t = teacher.get(0);
        return LossScope.run(s.getManager(), () -> {
            NDArray rs = relationHeads(s, "student");
            NDArray rt = relationHeads(SingleInputs.constant(t, s), "teacher");
            return AttentionRelationKl.fromSelfRelations(NAME, rs, rt, mask);
        });
    }

    private NDArray relationHeads(NDArray x, String side) {
        NDArray joined = x.getShape().dimension() == 4 ? Heads.merge(x) : x;
        Shape s = joined.getShape();
        if (s.get(2) % relationHeads != 0) {
            throw new IllegalArgumentException(
                    "loss '" + NAME + "' argument 'relation_heads' (" + relationHeads + ") must divide the " + side
                            + " hidden size " + s.get(2));
        }
        return Heads.split(joined, relationHeads);
    }
}
