/**
 * Intermediate-match losses of TextBrewer: attention ({@code attention_mse}, {@code attention_mse_sum},
 * {@code attention_ce}, {@code attention_ce_mean}), hidden states ({@code hidden_mse}, {@code cos}, {@code pkd}) and
 * pairs of hidden states ({@code fsp}/{@code gram}, {@code mmd}/{@code nst}).
 * {@link ai.distill4j.loss.feature.FeatureLosses} registers them by name.
 */
package ai.distill4j.loss.feature;
