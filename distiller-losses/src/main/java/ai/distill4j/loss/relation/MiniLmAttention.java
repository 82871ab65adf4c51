package ai.distill4j.loss.relation;

import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * MiniLM self-attention distribution transfer ({@code minilm_attention}): the student's attention distributions
 * of one layer must match the teacher's, head by head.
 *
 * <pre>
 * A_{b,a,t} = softmax over real keys of the attention row (b, a, t)
 * L = (1/B) sum_b [ sum_a sum_{t in V_b} KL(A^T_{b,a,t} || A^S_{b,a,t}) ] / (A_h * n_b)
 * </pre>
 *
 * <ul>
 *   <li>Inputs: one attention tensor per side, {@code (B, A_h, S, S)}; student and teacher need the same head count
 *       A_h (MiniLM v1's restriction; use {@link MiniLmV2Relation} otherwise).
 *   <li>Argument {@code attention}: {@code "scores"} (default; pre-softmax scores, any additive mask in them is
 *       ignored because the mask is applied again) or {@code "probs"} (softmax output; the log is taken, clamped at
 *       1e-30, and rows are renormalised over the real keys).
 *   <li>Mask: {@code (B, S)}, 1 = real token; rows of padding queries are dropped, padding keys get probability 0.
 *   <li>Reduction: per example divided by {@code A_h * n_b}, then the mean over the batch (an example with no real
 *       token contributes 0).
 *   <li>The teacher is a constant (no gradient).
 * </ul>
 *
 * <pre>
 * Wang, Wei, Dong, Bao, Yang, Zhou. MiniLM: Deep Self-Attention Distillation for Task-Agnostic Compression of
 * Pre-Trained Transformers. NeurIPS 2020. (No official training code; the masked reduction follows
 * bloomberg/minilmv2.bb, and TextBrewer's att_ce_loss computes the same rows.)
 * </pre>
 *
 * @since 0.1.0
 */
public final class MiniLmAttention implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "minilm_attention";

    /** What the attention tensors hold. */
    public enum Input {
        /** Pre-softmax attention scores. */
        SCORES,
        /** Attention probabilities (softmax output). */
        PROBS;

        /**
         * Parses an argument value ({@code "scores"} or {@code "probs"}).
         *
         * @param value the text
         * @return the constant
         * @throws IllegalArgumentException for anything else
         */
        public static Input parse(String value) {
            for (Input i : values()) {
                if (i.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(
                    "loss '" + NAME + "' argument 'attention' must be \"scores\" or \"probs\", got '" + value + "'");
        }
    }

    private final Input input;

    /**
     * Creates the loss.
     *
     * @param input what the attention tensors hold
     */
    public MiniLmAttention(Input input) {
        this.input = Objects.requireNonNull(input, "input");
    }

    /**
     * Returns what the attention tensors are taken to hold.
     *
     * @return scores or probabilities
     */
    public Input input() {
        return input;
    }

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /**
     * Computes the loss.
     *
     * @param student one student attention tensor {@code (B, A_h, S, S)}
     * @param teacher one teacher attention tensor {@code (B, A_h, S, S)}
     * @param mask {@code (B, S)} or null (every token real)
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        SingleInputs.check(NAME, student, teacher, "attention of shape (batch, heads, length, length)", 4);
        NDArray s = student.get(0);
        NDArray t = teacher.get(0);
        return LossScope.run(s.getManager(), () -> {
            NDArray tc = SingleInputs.constant(t, s);
            return AttentionRelationKl.fromLogits(NAME, logits(s), logits(tc), mask);
        });
    }

    private NDArray logits(NDArray attention) {
        return input == Input.SCORES ? attention : attention.maximum(GraphScalar.of(attention, 1e-30)).log();
    }
}
