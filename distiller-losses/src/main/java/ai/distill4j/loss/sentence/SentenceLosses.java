package ai.distill4j.loss.sentence;

import ai.distill4j.loss.LossRegistry;

/** Registers the built-in losses of this package (placeholder until they are written). */
public final class SentenceLosses {

    private SentenceLosses() {}

    /**
     * Adds this package's built-ins to a registry.
     *
     * @param registry the registry to fill
     */
    public static void register(LossRegistry registry) {}
}
