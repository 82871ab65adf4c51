package ai.distill4j.loss.schedule;

import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.TemperatureScheduler;
import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * Focal-loss-style sample weighting of the temperature (FLSW, arXiv 1911.07471): rows where student and teacher
 * disagree get a lower temperature, rows where they agree a higher one; registry name {@code flsw}.
 *
 * <pre>
 *   v_n = S_n / (||S_n||_2 + eps),   t_n = T_n / (||T_n||_2 + eps)           (over the class axis)
 *   w_n = (1 - v_n . t_n)^gamma
 *   tau_n = base_tau + (mean_n(w) - w_n) * beta
 * </pre>
 *
 * <ul>
 *   <li>Arguments: {@code beta} (required), {@code gamma} (required), {@code eps} (default {@code 1e-4}).
 *   <li>Shapes: logits {@code (N, C)} (rows already selected; a {@code (B, L, C)} input gives {@code (B, L)}).
 *       Result {@code (N)}; the mean is over all rows of the call.
 *   <li>Computed on detached logits: no gradient flows through the temperature.
 * </ul>
 *
 * <p>Source: TextBrewer {@code schedulers.py} {@code flsw_temperature_scheduler_builder} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class FlswTemperature implements TemperatureScheduler {

    /** The registry name. */
    public static final String NAME = "flsw";

    /** The argument names. */
    public static final Set<String> ARGUMENTS = Set.of("beta", "gamma", "eps");

    private final double beta;
    private final double gamma;
    private final double eps;

    /**
     * Creates the scheduler.
     *
     * @param beta how far the temperature moves per unit of weight difference
     * @param gamma the focusing exponent
     * @param eps added to the norms
     * @throws IllegalArgumentException when a value is not finite or {@code eps < 0}
     */
    public FlswTemperature(double beta, double gamma, double eps) {
        requireFinite("beta", beta);
        requireFinite("gamma", gamma);
        requireFinite("eps", eps);
        if (eps < 0) {
            throw new IllegalArgumentException("flsw argument 'eps' must be >= 0, got " + eps);
        }
        this.beta = beta;
        this.gamma = gamma;
        this.eps = eps;
    }

    /**
     * Creates the scheduler from config arguments {@code beta}, {@code gamma} and optional {@code eps}.
     *
     * @param args the arguments
     * @return the scheduler
     * @throws IllegalArgumentException when {@code beta} or {@code gamma} is missing or an argument is unknown
     */
    public static FlswTemperature from(LossArgs args) {
        args.requireOnly(NAME, ARGUMENTS);
        return new FlswTemperature(required(args, "beta"), required(args, "gamma"), args.getDouble("eps", 1e-4));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray temperature(NDArray logitsS, NDArray logitsT, double baseTemperature) {
        Detached.checkLogits(NAME, logitsS);
        if (!logitsS.getShape().equals(logitsT.getShape())) {
            throw new IllegalArgumentException(
                    "temperature scheduler 'flsw' needs logits of one shape, got student " + logitsS.getShape()
                            + " and teacher " + logitsT.getShape());
        }
        NDArray v = Detached.of(logitsS, logitsS.getManager());
        NDArray t = Detached.of(logitsT, logitsS.getManager()).toType(v.getDataType(), false);
        int[] classes = {-1};
        NDArray vn = v.div(v.norm(classes, true).add(eps));
        NDArray tn = t.div(t.norm(classes, true).add(eps));
        NDArray w = vn.mul(tn).sum(classes).neg().add(1).pow(gamma);
        return w.mean().sub(w).mul(beta).add(baseTemperature);
    }

    static double required(LossArgs args, String name) {
        double v = args.getDouble(name, Double.NaN);
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException(
                    "temperature scheduler '" + NAME + "' needs the argument '" + name + "' (e.g. args {\"beta\": 1, "
                            + "\"gamma\": 2})");
        }
        return v;
    }

    private static void requireFinite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("flsw argument '" + name + "' must be finite, got " + v);
        }
    }
}
