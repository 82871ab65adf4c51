/**
 * The immutable, validated configs with TextBrewer's fields and JSON names:
 * {@link ai.distill4j.distill.config.TrainingConfig}, {@link ai.distill4j.distill.config.DistillationConfig} and
 * {@link ai.distill4j.distill.config.IntermediateMatch}.
 */
package ai.distill4j.distill.config;
