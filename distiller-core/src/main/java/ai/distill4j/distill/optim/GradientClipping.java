package ai.distill4j.distill.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;

/**
 * Global-norm gradient clipping with the semantics of {@code torch.nn.utils.clip_grad_norm_}: the L2 norm over all
 * gradients together is computed, and when it exceeds {@code maxNorm} every gradient is scaled in place by
 * {@code maxNorm / (norm + 1e-6)}. (DJL's own {@code optClipGrad} clamps one-sidedly on PyTorch and is not used.)
 *
 * @since 0.1.0
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Clips the gradients of parameters by their global L2 norm. Parameters without a gradient are ignored.
     *
     * @param parameters the parameters (student and projections)
     * @param maxNorm the largest allowed norm; {@code <= 0} disables clipping and returns the norm only
     * @param parent a manager for temporaries (a sub-manager is created and closed)
     * @return the total norm before clipping; when it is NaN or infinite the gradients are left untouched
     */
    public static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm, NDManager parent) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager tmp = parent.newSubManager()) {
            NDList grads = new NDList();
            NDList squares = new NDList();
            for (Parameter p : parameters) {
                PtNDArray g = JniUtils.getGradient((PtNDArray) p.getArray());
                if (g == null) {
                    continue;
                }
                g.attach(tmp);
                grads.add(g);
                NDArray n = g.norm();
                n.attach(tmp);
                squares.add(n);
            }
            if (grads.isEmpty()) {
                return 0;
            }
            NDArray total = NDArrays.stack(squares).norm();
            total.attach(tmp);
            double norm = total.getFloat();
            if (maxNorm > 0 && Double.isFinite(norm)) { // a non-finite norm leaves the gradients as they are
                double coef = maxNorm / (norm + 1e-6);
                if (coef < 1) {
                    for (NDArray g : grads) {
                        g.muli((float) coef);
                    }
                }
            }
            return norm;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }
}
