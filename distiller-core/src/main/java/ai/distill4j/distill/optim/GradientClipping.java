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
     * Clips the gradients of parameters by their global L2 norm, in place. Parameters without a gradient are
     * ignored. A training loop that uses an {@link InPlaceOptimizer} can instead pass {@link #scale} to
     * {@link InPlaceOptimizer#step(double)}, which applies it during the update and saves a pass over the gradients.
     *
     * @param parameters the parameters (student and projections)
     * @param maxNorm the largest allowed norm; {@code <= 0} disables clipping and returns the norm only
     * @param parent a manager for temporaries (a sub-manager is created and closed)
     * @return the total norm before clipping; when it is NaN or infinite the gradients are left untouched
     */
    public static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm, NDManager parent) {
        double norm = globalNorm(parameters, parent);
        double coef = scale(norm, maxNorm);
        if (coef != 1.0) {
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                for (Parameter p : parameters) {
                    PtNDArray g = JniUtils.getGradient((PtNDArray) p.getArray());
                    if (g != null) {
                        try (g) {
                            g.muli((float) coef);
                        }
                    }
                }
            } finally {
                JniUtils.setGradMode(gradMode);
            }
        }
        return norm;
    }

    /**
     * Returns the global L2 norm of the parameters' gradients, {@code ‖(‖g₁‖, ‖g₂‖, ...)‖} as
     * {@code clip_grad_norm_} computes it. Parameters without a gradient are ignored; none at all gives 0.
     *
     * @param parameters the parameters
     * @param parent a manager for temporaries (a sub-manager is created and closed)
     * @return the norm, NaN or infinite when a gradient is not finite
     */
    public static double globalNorm(Collection<Parameter> parameters, NDManager parent) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager tmp = parent.newSubManager()) {
            NDList norms = new NDList();
            for (Parameter p : parameters) {
                PtNDArray g = JniUtils.getGradient((PtNDArray) p.getArray());
                if (g == null) {
                    continue;
                }
                g.attach(tmp);
                NDArray n = g.norm();
                n.attach(tmp);
                norms.add(n);
            }
            if (norms.isEmpty()) {
                return 0;
            }
            NDArray total = NDArrays.stack(norms).norm();
            total.attach(tmp);
            return total.getFloat();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Returns the factor that clipping applies to every gradient: {@code maxNorm / (norm + 1e-6)} when that is below
     * 1, else 1. A non-finite norm, or {@code maxNorm <= 0} (clipping off), gives 1: the gradients stay as they are.
     *
     * @param norm the global norm ({@link #globalNorm})
     * @param maxNorm the largest allowed norm
     * @return the factor, in (0, 1]
     */
    public static double scale(double norm, double maxNorm) {
        if (!(maxNorm > 0) || !Double.isFinite(norm)) {
            return 1.0;
        }
        double coef = maxNorm / (norm + 1e-6);
        return coef < 1 ? coef : 1.0;
    }
}
