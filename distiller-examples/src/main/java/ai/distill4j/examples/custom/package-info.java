/**
 * The custom-model example: how a user plugs a model distill4j does not know into the engine. A small
 * convolutional text classifier built from DJL blocks ({@link ai.distill4j.examples.custom.ConvTextClassifier})
 * is wrapped in a user-written {@code DistillModel} ({@link ai.distill4j.examples.custom.ConvDistillModel}) and
 * {@code Adaptor} ({@link ai.distill4j.examples.custom.ConvAdaptor}) and distilled from a BERT spam classifier
 * ({@link ai.distill4j.examples.custom.CustomModelExample}). Run it with {@code ./distill4j example custom-model}.
 */
package ai.distill4j.examples.custom;
