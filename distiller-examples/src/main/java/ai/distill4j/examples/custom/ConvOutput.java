package ai.distill4j.examples.custom;

import ai.djl.ndarray.NDArray;

/**
 * The outputs of a {@link ConvTextClassifier} forward pass.
 *
 * @param logits class scores {@code (B, C)}
 * @param textVector the max-pooled convolution features {@code (B, F)}, before dropout
 * @since 0.1.0
 */
public record ConvOutput(NDArray logits, NDArray textVector) {}
