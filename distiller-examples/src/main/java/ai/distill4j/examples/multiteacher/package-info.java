/**
 * The multi-teacher example: spam classifiers fine-tuned from all-MiniLM-L6-v2 with different seeds
 * ({@link ai.distill4j.examples.multiteacher.SpamTeachers}) distilled into one student with the engine's
 * {@code MultiTeacherDistiller} ({@link ai.distill4j.examples.multiteacher.MultiTeacherExample}), and the
 * classification tools the custom-model example shares: the spam task as batches
 * ({@link ai.distill4j.examples.multiteacher.SpamTask}), logits of any model and their ensemble
 * ({@link ai.distill4j.examples.multiteacher.Logits}), scores and reports. Run it with
 * {@code ./distill4j example multi-teacher}.
 */
package ai.distill4j.examples.multiteacher;
