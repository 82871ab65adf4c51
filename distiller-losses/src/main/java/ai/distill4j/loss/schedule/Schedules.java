package ai.distill4j.loss.schedule;

import ai.distill4j.loss.LossRegistry;
import java.util.Set;

/**
 * Registers this package's schedulers: temperature {@code constant}, {@code flsw} (args {@code beta},
 * {@code gamma}, optional {@code eps}), {@code cwsm} (arg {@code beta}); weight {@code linear_decay},
 * {@code linear_growth}.
 *
 * @since 0.1.0
 */
public final class Schedules {

    private Schedules() {}

    /**
     * Adds this package's built-ins to a registry.
     *
     * @param registry the registry to fill
     */
    public static void register(LossRegistry registry) {
        registry.registerTemperature(
                ConstantTemperature.NAME,
                args -> {
                    args.requireOnly(ConstantTemperature.NAME, Set.of());
                    return new ConstantTemperature();
                });
        registry.registerTemperature(FlswTemperature.NAME, FlswTemperature::from);
        registry.registerTemperature(CwsmTemperature.NAME, CwsmTemperature::from);
        registry.registerWeight(LinearDecayWeight.NAME, new LinearDecayWeight());
        registry.registerWeight(LinearGrowthWeight.NAME, new LinearGrowthWeight());
    }
}
