package ai.distill4j.loss.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Gradient-free copies of scheduler inputs, owned by the student's manager. */
final class Detached {

    private Detached() {}

    /**
     * Detaches an array and moves the detached view to a manager, so that every array derived from it lives there.
     *
     * @param array the logits
     * @param owner the owning manager
     * @return the detached view
     */
    static NDArray of(NDArray array, NDManager owner) {
        NDArray d = array.stopGradient();
        d.attach(owner);
        return d;
    }

    /**
     * Checks that logits are {@code (N, C)} or {@code (B, L, C)}.
     *
     * @param name scheduler name
     * @param logits the logits
     */
    static void checkLogits(String name, NDArray logits) {
        int d = logits.getShape().dimension();
        if (d < 1) {
            throw new IllegalArgumentException(
                    "temperature scheduler '" + name + "' takes logits (N, C), got " + logits.getShape());
        }
    }
}
