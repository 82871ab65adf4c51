package ai.distill4j.distill.eval;

import ai.distill4j.distill.DistillModel;
import ai.distill4j.model.pooling.SentenceEncoder;
import java.util.Objects;
import java.util.function.Function;

/**
 * How an evaluator used as the engine's evaluation callback gets the encoder of the student being trained: what its
 * builder's {@code student(...)} was given.
 */
final class TrainedStudent {

    private final Function<DistillModel<?, ?>, SentenceEncoder> encoderOf;

    private TrainedStudent(Function<DistillModel<?, ?>, SentenceEncoder> encoderOf) {
        this.encoderOf = encoderOf;
    }

    /** The same encoder for whatever student the engine passes (it wraps the very model being trained). */
    static TrainedStudent of(SentenceEncoder encoder) {
        Objects.requireNonNull(encoder, "student");
        return new TrainedStudent(ignored -> encoder);
    }

    /** An encoder made from the student the engine passes. */
    static TrainedStudent of(Function<DistillModel<?, ?>, SentenceEncoder> encoderOf) {
        return new TrainedStudent(Objects.requireNonNull(encoderOf, "student"));
    }

    /**
     * Returns the encoder of the student being trained.
     *
     * @param trained the builder's setting, {@code null} when {@code student(...)} was not called
     * @param model the student as the engine runs it
     * @param evaluator the evaluator's class name, for the message
     * @param inputs what the evaluator embeds, for the message
     * @throws IllegalStateException when {@code trained} is {@code null}
     */
    static SentenceEncoder encoder(TrainedStudent trained, DistillModel<?, ?> model, String evaluator,
            String inputs) {
        if (trained == null) {
            throw new IllegalStateException(evaluator + " was built without student(...); it cannot embed the "
                    + inputs + " with the student being trained");
        }
        return Objects.requireNonNull(trained.encoderOf.apply(model), "student encoder");
    }
}
