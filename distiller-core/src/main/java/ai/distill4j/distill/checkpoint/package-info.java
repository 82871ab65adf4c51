/**
 * Checkpoints a run can resume from: {@link ai.distill4j.distill.checkpoint.CheckpointStore} keeps folders
 * {@code <output_dir>/checkpoints/step-<N>/}, written atomically (temporary folder, fsync, rename, then an atomic
 * {@code latest} pointer), verified by a {@code COMPLETE} manifest, pruned to the last N plus the best.
 *
 * <p>The payload is written by the caller through {@link ai.distill4j.distill.checkpoint.CheckpointContent}; the store
 * adds {@code state.json}, the run position ({@link ai.distill4j.distill.checkpoint.TrainingState}). Nothing here
 * depends on models or distillers.
 */
package ai.distill4j.distill.checkpoint;
