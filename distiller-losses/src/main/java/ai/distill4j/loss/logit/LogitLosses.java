package ai.distill4j.loss.logit;

import ai.distill4j.loss.KdLoss;
import ai.distill4j.loss.LossRegistry;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Registers this package's KD losses: {@code ce}, {@code mse}, {@code kl}, {@code multilabel} (and its alias
 * {@code multi-label}). None takes arguments: the temperature is given at each call.
 *
 * @since 0.1.0
 */
public final class LogitLosses {

    private LogitLosses() {}

    /**
     * Adds this package's built-ins to a registry.
     *
     * @param registry the registry to fill
     */
    public static void register(LossRegistry registry) {
        registry.registerKd(SoftCrossEntropyKdLoss.NAME, noArgs(SoftCrossEntropyKdLoss.NAME, SoftCrossEntropyKdLoss::new));
        registry.registerKd(MseKdLoss.NAME, noArgs(MseKdLoss.NAME, MseKdLoss::new));
        registry.registerKd(KlDivergenceKdLoss.NAME, noArgs(KlDivergenceKdLoss.NAME, KlDivergenceKdLoss::new));
        registry.registerKd(MultiLabelKdLoss.NAME, noArgs(MultiLabelKdLoss.NAME, MultiLabelKdLoss::new));
        registry.registerKd("multi-label", noArgs("multi-label", MultiLabelKdLoss::new));
    }

    private static KdLoss.Factory noArgs(String name, Supplier<KdLoss> loss) {
        return args -> {
            args.requireOnly(name, Set.of());
            return loss.get();
        };
    }
}
