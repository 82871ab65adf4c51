/**
 * Logit-level distillation losses ({@code ce}, {@code mse}, {@code kl}, {@code multilabel}), the row selection of
 * 3-D logits by a logits mask ({@link ai.distill4j.loss.logit.LogitRows}) and TextBrewer's probability shift
 * ({@link ai.distill4j.loss.logit.ProbabilityShift}). {@link ai.distill4j.loss.logit.LogitLosses} registers the
 * losses by name.
 */
package ai.distill4j.loss.logit;
