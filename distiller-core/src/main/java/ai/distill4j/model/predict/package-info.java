/**
 * Inference with a fine-tuned (or distilled) sequence classifier: {@link ai.distill4j.model.predict.TextClassifier}
 * loads a HuggingFace folder and labels texts in length-bucketed batches without gradients,
 * {@link ai.distill4j.model.predict.ClassificationMetrics} scores predictions against gold labels, and
 * {@link ai.distill4j.model.predict.Latency} measures milliseconds per example.
 */
package ai.distill4j.model.predict;
