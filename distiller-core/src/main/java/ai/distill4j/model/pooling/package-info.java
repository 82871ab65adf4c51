/**
 * Sentence vectors from BERT token vectors: {@link ai.distill4j.model.pooling.PoolingMode} (CLS, masked mean,
 * masked max, mean over the square root of the length) and {@link ai.distill4j.model.pooling.Pooling} (a mode and
 * optional L2 normalisation), numerically as Sentence-Transformers; the differentiable
 * {@link ai.distill4j.model.pooling.SentenceFeature} an adaptor exposes as {@code sentence}; and the gradient-free
 * batch {@link ai.distill4j.model.pooling.SentenceEncoder} that embeds texts with a teacher or a trained student.
 */
package ai.distill4j.model.pooling;
