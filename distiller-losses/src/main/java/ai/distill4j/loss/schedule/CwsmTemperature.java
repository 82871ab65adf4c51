package ai.distill4j.loss.schedule;

import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.TemperatureScheduler;
import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * Confidence-weighted temperature (CWSM, arXiv 1911.07471): rows where the student is confident get a higher
 * temperature, uncertain rows a lower one; registry name {@code cwsm}.
 *
 * <pre>
 *   w_n = 1 / (max_c softmax(S_n)_c + 1e-3)
 *   tau_n = base_tau + (mean_n(w) - w_n) * beta
 * </pre>
 *
 * <ul>
 *   <li>Argument: {@code beta} (required).
 *   <li>Shapes: logits {@code (N, C)} (rows already selected); only the student's are used. Result {@code (N)}.
 *   <li>Computed on detached logits: no gradient flows through the temperature.
 * </ul>
 *
 * <p>Source: TextBrewer {@code schedulers.py} {@code cwsm_temperature_scheduler_builder} (HEAD 2c105fa).
 *
 * @since 0.1.0
 */
public final class CwsmTemperature implements TemperatureScheduler {

    /** The registry name. */
    public static final String NAME = "cwsm";

    private final double beta;

    /**
     * Creates the scheduler.
     *
     * @param beta how far the temperature moves per unit of weight difference
     * @throws IllegalArgumentException when {@code beta} is not finite
     */
    public CwsmTemperature(double beta) {
        if (!Double.isFinite(beta)) {
            throw new IllegalArgumentException("cwsm argument 'beta' must be finite, got " + beta);
        }
        this.beta = beta;
    }

    /**
     * Creates the scheduler from config arguments ({@code beta}).
     *
     * @param args the arguments
     * @return the scheduler
     * @throws IllegalArgumentException when {@code beta} is missing or an argument is unknown
     */
    public static CwsmTemperature from(LossArgs args) {
        args.requireOnly(NAME, Set.of("beta"));
        double beta = args.getDouble("beta", Double.NaN);
        if (Double.isNaN(beta)) {
            throw new IllegalArgumentException(
                    "temperature scheduler '" + NAME + "' needs the argument 'beta' (e.g. args {\"beta\": 1})");
        }
        return new CwsmTemperature(beta);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray temperature(NDArray logitsS, NDArray logitsT, double baseTemperature) {
        Detached.checkLogits(NAME, logitsS);
        NDArray v = Detached.of(logitsS, logitsS.getManager()).softmax(-1);
        NDArray w = v.max(new int[] {-1}).add(1e-3).pow(-1);
        return w.mean().sub(w).mul(beta).add(baseTemperature);
    }
}
