package ai.distill4j.loss.logit;

import ai.distill4j.loss.GraphScalar;
import ai.distill4j.loss.KdLoss;
import ai.djl.ndarray.NDArray;

/**
 * Hinton's distillation loss: {@code tau^2} times the KL divergence from the teacher's to the student's tempered
 * distribution, averaged over rows; registry name {@code kl}. This is DistilBERT's {@code L_ce}
 * ({@code T^2 * KLDivLoss(reduction='batchmean')}); TextBrewer has no such loss.
 *
 * <pre>
 *   log p_T = log_softmax(T / tau_n),   log q_S = log_softmax(S / tau_n)
 *   L = (1 / N) * sum_n tau_n^2 * sum_c p_T[n, c] * (log p_T[n, c] - log q_S[n, c])
 * </pre>
 *
 * <ul>
 *   <li>Shapes: logits {@code (N, C)} or {@code (B, L, C)}; temperature {@code ()} or one per row, in which case
 *       each row is scaled by its own {@code tau_n^2}.
 *   <li>Reduction: sum over classes, then "batchmean": divided by the number of rows {@code N} (all leading
 *       positions), not by {@code N * C} as PyTorch's {@code reduction='mean'} would (PKD's variant).
 *   <li>The {@code tau^2} factor keeps the gradient's magnitude independent of the temperature (Hinton et al.,
 *       2015). Its gradient equals {@code tau^2} times that of {@link SoftCrossEntropyKdLoss}.
 * </ul>
 *
 * <p>Source: Hinton, Vinyals, Dean, "Distilling the Knowledge in a Neural Network" (2015); DistilBERT
 * {@code distiller.py}. Reference value: kd-losses.md section 4 (1.0712251359278286).
 *
 * @since 0.1.0
 */
public final class KlDivergenceKdLoss implements KdLoss {

    /** The registry name. */
    public static final String NAME = "kl";

    /** Creates the loss; it has no parameters. */
    public KlDivergenceKdLoss() {}

    /** {@inheritDoc} */
    @Override
    public NDArray compute(NDArray logitsS, NDArray logitsT, NDArray temperature) {
        KdInputs.checkLogits(NAME, logitsS, logitsT);
        NDArray tau = KdInputs.forDivision(NAME, KdInputs.constant(temperature, logitsS), logitsS);
        NDArray teacher = KdInputs.constant(logitsT, logitsS);
        NDArray logQ = logitsS.div(tau).logSoftmax(-1);
        NDArray logP = teacher.div(tau).logSoftmax(-1);
        NDArray p = logP.exp();
        // per row: sum_c p * (log p - log q); keep the trailing axis so a per-row tau (rows..., 1) lines up
        NDArray rowKl = logQ.neg().add(logP).mul(p).sum(new int[] {-1}, true);
        return rowKl.mul(tau.square()).sum().div(GraphScalar.of(logitsS, KdInputs.rows(logitsS)));
    }
}
