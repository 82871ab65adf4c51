package ai.distill4j.loss.logit;

import ai.distill4j.loss.KdLoss;
import ai.djl.ndarray.NDArray;

/**
 * Binary cross-entropy between per-class sigmoid probabilities, for multi-label heads; registry name
 * {@code multilabel} (alias {@code multi-label}, the name TextBrewer's maintainer gave it).
 *
 * <pre>
 *   z = S / tau,   p_T = sigmoid(T / tau)
 *   L = -(1 / (N * C)) * sum_{n, c} [ p_T * log sigmoid(z) + (1 - p_T) * log sigmoid(-z) ]
 *     =  (1 / (N * C)) * sum_{n, c} [ softplus(z) - p_T * z ]          (the form computed; it is stable)
 * </pre>
 *
 * <ul>
 *   <li>Shapes: logits {@code (N, C)} or {@code (B, L, C)}; temperature {@code ()} or one per row.
 *   <li>Reduction: mean over every element. No {@code tau^2} factor.
 *   <li>Zero gradient (not zero value) when student and teacher logits are equal.
 * </ul>
 *
 * <p>Source: {@code kd_multilabel_loss} given by the TextBrewer maintainer in airaria/TextBrewer issue #50 (not in
 * the released package).
 *
 * @since 0.1.0
 */
public final class MultiLabelKdLoss implements KdLoss {

    /** The registry name. */
    public static final String NAME = "multilabel";

    /** Creates the loss; it has no parameters. */
    public MultiLabelKdLoss() {}

    /** {@inheritDoc} */
    @Override
    public NDArray compute(NDArray logitsS, NDArray logitsT, NDArray temperature) {
        KdInputs.checkLogits(NAME, logitsS, logitsT);
        NDArray tau = KdInputs.forDivision(NAME, KdInputs.constant(temperature, logitsS), logitsS);
        NDArray teacher = KdInputs.constant(logitsT, logitsS);
        NDArray z = logitsS.div(tau);
        NDArray p = teacher.div(tau).getNDArrayInternal().sigmoid();
        return z.getNDArrayInternal().softPlus().sub(z.mul(p)).mean();
    }
}
