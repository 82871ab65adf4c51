/**
 * Adaptors: what distillation reads from a model's output ({@link ai.distill4j.distill.adapt.AdaptedOutput}), and
 * the ready BERT model wrapper, batch and adaptor.
 */
package ai.distill4j.distill.adapt;
