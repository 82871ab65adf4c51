package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a loss computation inside an {@link NDScope}, so that every intermediate array it creates is closed as soon
 * as the value is known (the autograd graph keeps what backward needs), and hands back only the result, attached
 * to the student's manager and registered with the caller's enclosing scope, if any.
 */
final class LossScope {

    private LossScope() {}

    /**
     * Computes a value and frees every other array created on the way.
     *
     * @param owner the manager that owns the result (the student's per-step manager)
     * @param body the computation
     * @return the result of {@code body}
     */
    static NDArray run(NDManager owner, Supplier<NDArray> body) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            result = body.get();
            NDScope.unregister(result);
        }
        result.attach(owner);
        NDScope.register(result);
        return result;
    }
}
