/**
 * The training side of distill4j: the {@link ai.distill4j.distill.Distiller} engine (TextBrewer's training loop with
 * exact resume, evaluation and logs) and the five distillers {@link ai.distill4j.distill.BasicTrainer},
 * {@link ai.distill4j.distill.BasicDistiller}, {@link ai.distill4j.distill.GeneralDistiller},
 * {@link ai.distill4j.distill.MultiTeacherDistiller} and {@link ai.distill4j.distill.MultiTaskDistiller};
 * {@link ai.distill4j.distill.Distillers} has shortcuts for BERT.
 */
package ai.distill4j.distill;
