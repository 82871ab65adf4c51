/**
 * Relation-based distillation losses, each a {@link ai.distill4j.loss.MatchLoss} registered by name in
 * {@link ai.distill4j.loss.relation.RelationLosses}: the CKD word and layer relations ({@code wr_dist},
 * {@code wr_angle}, {@code ltr_dist}, {@code ltr_angle}) with the {@link ai.distill4j.loss.relation.LayerAlignment}
 * that picks their layers, MiniLM and MiniLMv2 self-attention relations, and RKD on sentence vectors.
 */
package ai.distill4j.loss.relation;
