package ai.distill4j.distill.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AdamW with PyTorch's semantics ({@code torch.optim.AdamW}), updating in place:
 * {@code w ← w·(1 − lr·wd)}; {@code m ← β1·m + (1−β1)·g}; {@code v ← β2·v + (1−β2)·g²};
 * {@code w ← w − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)}. Weight decay applies only to the parameters the
 * decay mask accepts (by default everything except biases and LayerNorm weights). State: {@code exp_avg} and
 * {@code exp_avg_sq} per parameter.
 *
 * @since 0.1.0
 */
final class AdamW extends InPlaceOptimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;

    /**
     * Creates the optimizer.
     *
     * @param parent the manager under which the state lives
     * @param lr the base learning rate
     * @param weightDecay the decoupled weight decay
     * @param beta1 the first-moment decay, in [0, 1)
     * @param beta2 the second-moment decay, in [0, 1)
     * @param eps the denominator's epsilon, {@code > 0}
     * @param decayed which parameter names get weight decay
     */
    public AdamW(
            NDManager parent,
            double lr,
            double weightDecay,
            double beta1,
            double beta2,
            double eps,
            Predicate<String> decayed) {
        super(parent, lr, weightDecay, decayed);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("optimizer.beta1 = " + beta1 + ": must be in [0, 1)");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("optimizer.beta2 = " + beta2 + ": must be in [0, 1)");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("optimizer.eps = " + eps + ": must be > 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /**
     * Creates AdamW with PyTorch's defaults (β 0.9/0.999, ε 1e-8) and the standard decay mask.
     *
     * @param parent the manager under which the state lives
     * @param lr the base learning rate
     * @param weightDecay the decoupled weight decay
     * @return the optimizer
     */
    public static AdamW of(NDManager parent, double lr, double weightDecay) {
        return new AdamW(parent, lr, weightDecay, 0.9, 0.999, 1e-8, decayExceptBiasAndLayerNorm());
    }

    /**
     * {@inheritDoc}
     *
     * <p>CPU float32 parameters are updated by {@link HostAdamWUpdate} in one pass that also clears the gradient;
     * its result is bit-identical to {@link #apply}'s. Other parameters (and any whose arrays are not contiguous)
     * take the NDArray form.
     */
    @Override
    protected boolean applyAndClear(Slot slot, NDArray w, NDArray g, float gradientScale, double lr, int t,
            NDManager tmp) {
        NDArray m = stateArray(slot, "exp_avg");
        NDArray v = stateArray(slot, "exp_avg_sq");
        if (!hostUpdatable(slot, w, g, m, v)) {
            return super.applyAndClear(slot, w, g, gradientScale, lr, t, tmp);
        }
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        HostAdamWUpdate.apply(w, g, m, v, new HostAdamWUpdate.Constants(gradientScale,
                (float) (1 - lr * slot.weightDecay()), slot.weightDecay() != 0,
                (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2),
                (float) Math.sqrt(bc2), (float) eps, (float) (lr / bc1)));
        return true;
    }

    /** Checks once per parameter that the host pass applies and writes through to the arrays themselves. */
    private boolean hostUpdatable(Slot slot, NDArray w, NDArray g, NDArray m, NDArray v) {
        if (!hostUpdate || !HostAdamWUpdate.supports(w, g, m, v)) {
            return false;
        }
        return hostChecked.computeIfAbsent(slot.name(), k -> HostAdamWUpdate.aliases(w)
                && HostAdamWUpdate.aliases(g) && HostAdamWUpdate.aliases(m) && HostAdamWUpdate.aliases(v));
    }

    private final Map<String, Boolean> hostChecked = new HashMap<>();

    /** False to always take the NDArray form (for same-process comparisons; package-private on purpose). */
    boolean hostUpdate = true;

    /** {@inheritDoc} */
    @Override
    protected void apply(Slot slot, NDArray w, NDArray g, double lr, int t, NDManager tmp) {
        NDArray m = stateArray(slot, "exp_avg");
        NDArray v = stateArray(slot, "exp_avg_sq");
        if (slot.weightDecay() != 0) {
            w.muli((float) (1 - lr * slot.weightDecay()));
        }
        m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
        v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        NDArray denom = v.sqrt();
        denom.attach(tmp);
        denom.divi((float) Math.sqrt(bc2)).addi((float) eps);
        NDArray update = m.div(denom);
        update.attach(tmp);
        w.subi(update.muli((float) (lr / bc1)));
    }
}
