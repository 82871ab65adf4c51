package ai.distill4j.loss.feature;

import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Registers this package's intermediate-match losses: {@code attention_mse}, {@code attention_mse_sum},
 * {@code attention_ce}, {@code attention_ce_mean}, {@code hidden_mse}, {@code cos}, {@code pkd} (one layer per
 * side) and {@code fsp} = {@code gram}, {@code mmd} = {@code nst} (a pair of layers per side). None takes
 * arguments.
 *
 * @since 0.1.0
 */
public final class FeatureLosses {

    private FeatureLosses() {}

    /**
     * Adds this package's built-ins to a registry.
     *
     * @param registry the registry to fill
     */
    public static void register(LossRegistry registry) {
        add(registry, AttentionMseLoss.NAME, AttentionMseLoss::new);
        add(registry, AttentionMseSumLoss.NAME, AttentionMseSumLoss::new);
        add(registry, AttentionCeLoss.NAME, AttentionCeLoss::new);
        add(registry, AttentionCeMeanLoss.NAME, AttentionCeMeanLoss::new);
        add(registry, HiddenMseLoss.NAME, HiddenMseLoss::new);
        add(registry, CosineLoss.NAME, CosineLoss::new);
        add(registry, PkdLoss.NAME, PkdLoss::new);
        add(registry, FspLoss.NAME, () -> new FspLoss(FspLoss.NAME));
        add(registry, FspLoss.ALIAS, () -> new FspLoss(FspLoss.ALIAS));
        add(registry, MmdLoss.NAME, () -> new MmdLoss(MmdLoss.NAME));
        add(registry, MmdLoss.ALIAS, () -> new MmdLoss(MmdLoss.ALIAS));
    }

    private static void add(LossRegistry registry, String name, Supplier<MatchLoss> loss) {
        registry.registerMatch(
                name,
                args -> {
                    args.requireOnly(name, Set.of());
                    return loss.get();
                });
    }
}
