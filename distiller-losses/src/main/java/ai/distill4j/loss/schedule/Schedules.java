package ai.distill4j.loss.schedule;

import ai.distill4j.loss.LossRegistry;

/** Registers the built-in losses of this package (placeholder until they are written). */
public final class Schedules {

    private Schedules() {}

    /**
     * Adds this package's built-ins to a registry.
     *
     * @param registry the registry to fill
     */
    public static void register(LossRegistry registry) {}
}
