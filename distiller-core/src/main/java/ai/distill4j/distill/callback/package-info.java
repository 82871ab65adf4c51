/**
 * Hooks into training ({@link ai.distill4j.distill.callback.Callback}) and evaluation with best-model tracking and
 * early stopping ({@link ai.distill4j.distill.callback.Evaluation}).
 */
package ai.distill4j.distill.callback;
