/**
 * Losses on pooled sentence vectors {@code (B, D)}, each a {@link ai.distill4j.loss.MatchLoss} registered by name in
 * {@link ai.distill4j.loss.sentence.SentenceLosses}: {@code embedding_mse}, {@code similarity_matrix},
 * {@code contrastive} (InfoNCE) and {@code simcse}.
 */
package ai.distill4j.loss.sentence;
