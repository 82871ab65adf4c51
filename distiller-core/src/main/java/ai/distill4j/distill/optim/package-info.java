/**
 * Optimizers with PyTorch semantics (AdamW and SGD, chosen and configured through
 * {@link ai.distill4j.distill.optim.OptimizerConfig}), learning-rate schedules and global-norm gradient clipping.
 */
package ai.distill4j.distill.optim;
