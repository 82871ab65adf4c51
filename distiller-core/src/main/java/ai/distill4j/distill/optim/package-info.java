/**
 * In-place optimizers with PyTorch semantics ({@link ai.distill4j.distill.optim.AdamW},
 * {@link ai.distill4j.distill.optim.Sgd}), learning-rate schedules and global-norm gradient clipping.
 */
package ai.distill4j.distill.optim;
