package ai.distill4j.distill.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Predicate;

/**
 * Stochastic gradient descent with PyTorch's semantics ({@code torch.optim.SGD}, no dampening, no Nesterov),
 * updating in place: {@code g ← g + wd·w} (coupled decay, for parameters the mask accepts); with momentum μ,
 * {@code b ← g} on the first step and {@code b ← μ·b + g} afterwards, {@code g ← b}; then {@code w ← w − lr·g}.
 * Plain SGD (μ = 0, wd = 0) keeps no state.
 *
 * @since 0.1.0
 */
final class Sgd extends InPlaceOptimizer {

    private final double momentum;

    /**
     * Creates the optimizer.
     *
     * @param parent the manager under which the state lives
     * @param lr the learning rate
     * @param weightDecay the coupled weight decay
     * @param momentum the momentum, in [0, 1)
     * @param decayed which parameter names get weight decay
     */
    public Sgd(NDManager parent, double lr, double weightDecay, double momentum, Predicate<String> decayed) {
        super(parent, lr, weightDecay, decayed);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("optimizer.momentum = " + momentum + ": must be in [0, 1)");
        }
        this.momentum = momentum;
    }

    /**
     * Creates plain SGD: no momentum, no weight decay.
     *
     * @param parent the manager under which the state lives
     * @param lr the learning rate
     * @return the optimizer
     */
    public static Sgd plain(NDManager parent, double lr) {
        return new Sgd(parent, lr, 0, 0, name -> true);
    }

    /** {@inheritDoc} */
    @Override
    protected void apply(Slot slot, NDArray w, NDArray g, double lr, int t, NDManager tmp) {
        NDArray d = g;
        if (slot.weightDecay() != 0) {
            NDArray decay = w.mul((float) slot.weightDecay());
            decay.attach(tmp);
            d = decay.addi(g);
        }
        if (momentum != 0) {
            // the buffer starts at zero, so the first step gives b = d exactly, as PyTorch's clone
            NDArray buf = stateArray(slot, "momentum_buffer");
            buf.muli((float) momentum).addi(d);
            d = buf;
        }
        NDArray scaled = d.mul((float) lr);
        scaled.attach(tmp);
        w.subi(scaled);
    }
}
