package ai.distill4j.loss.relation;

import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import java.util.Set;

/**
 * Registers this package's losses: the CKD relations ({@code wr_dist}, {@code wr_angle}, {@code ltr_dist},
 * {@code ltr_angle}), MiniLM ({@code minilm_attention}, {@code minilm_value}, {@code minilmv2}) and RKD
 * ({@code rkd_distance}, {@code rkd_angle}).
 *
 * @since 0.1.0
 */
public final class RelationLosses {

    private RelationLosses() {}

    /**
     * Adds this package's built-ins to a registry.
     *
     * @param registry the registry to fill
     */
    public static void register(LossRegistry registry) {
        registry.registerMatch(WordRelationDistance.NAME, args -> {
            none(WordRelationDistance.NAME, args);
            return new WordRelationDistance();
        });
        registry.registerMatch(WordRelationAngle.NAME, args -> {
            args.requireOnly(WordRelationAngle.NAME, Set.of("window", "neighbours"));
            return new WordRelationAngle(
                    args.getInt("window", WordRelationAngle.DEFAULT_WINDOW),
                    WordRelationAngle.Neighbours.parse(args.getString("neighbours", "clamped")));
        });
        registry.registerMatch(LayerRelationDistance.NAME, args -> {
            none(LayerRelationDistance.NAME, args);
            return new LayerRelationDistance();
        });
        registry.registerMatch(LayerRelationAngle.NAME, args -> {
            none(LayerRelationAngle.NAME, args);
            return new LayerRelationAngle();
        });
        registry.registerMatch(MiniLmAttention.NAME, args -> {
            args.requireOnly(MiniLmAttention.NAME, Set.of("attention"));
            return new MiniLmAttention(MiniLmAttention.Input.parse(args.getString("attention", "scores")));
        });
        registry.registerMatch(MiniLmValue.NAME, args -> {
            args.requireOnly(MiniLmValue.NAME, Set.of("heads"));
            return new MiniLmValue(args.getInt("heads", 0));
        });
        registry.registerMatch(MiniLmV2Relation.NAME, args -> {
            args.requireOnly(MiniLmV2Relation.NAME, Set.of("relation", "relation_heads"));
            return new MiniLmV2Relation(
                    args.getInt("relation_heads", MiniLmV2Relation.DEFAULT_RELATION_HEADS),
                    args.getString("relation", null));
        });
        registry.registerMatch(RkdDistance.NAME, args -> {
            none(RkdDistance.NAME, args);
            return new RkdDistance();
        });
        registry.registerMatch(RkdAngle.NAME, args -> {
            none(RkdAngle.NAME, args);
            return new RkdAngle();
        });
    }

    private static void none(String name, LossArgs args) {
        args.requireOnly(name, Set.of());
    }
}
