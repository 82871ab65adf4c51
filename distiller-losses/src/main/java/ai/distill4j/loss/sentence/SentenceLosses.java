package ai.distill4j.loss.sentence;

import ai.distill4j.loss.LossRegistry;
import java.util.Set;

/**
 * Registers this package's losses on sentence vectors: {@code embedding_mse}, {@code similarity_matrix},
 * {@code contrastive} and {@code simcse}.
 *
 * @since 0.1.0
 */
public final class SentenceLosses {

    private SentenceLosses() {}

    /**
     * Adds this package's built-ins to a registry.
     *
     * @param registry the registry to fill
     */
    public static void register(LossRegistry registry) {
        registry.registerMatch(EmbeddingMse.NAME, args -> {
            args.requireOnly(EmbeddingMse.NAME, Set.of());
            return new EmbeddingMse();
        });
        registry.registerMatch(SimilarityMatrixMse.NAME, args -> {
            args.requireOnly(SimilarityMatrixMse.NAME, Set.of());
            return new SimilarityMatrixMse();
        });
        registry.registerMatch(InfoNce.NAME, args -> {
            args.requireOnly(InfoNce.NAME, Set.of("temperature", "symmetric"));
            return new InfoNce(
                    args.getDouble("temperature", InfoNce.DEFAULT_TEMPERATURE), args.getBoolean("symmetric", false));
        });
        registry.registerMatch(SimCse.NAME, args -> {
            args.requireOnly(SimCse.NAME, Set.of("temperature"));
            return new SimCse(args.getDouble("temperature", SimCse.DEFAULT_TEMPERATURE));
        });
    }
}
