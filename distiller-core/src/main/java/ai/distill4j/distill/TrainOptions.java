package ai.distill4j.distill;

import ai.distill4j.distill.callback.Callback;
import ai.distill4j.distill.callback.Evaluation;
import ai.distill4j.distill.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * The arguments of {@code train(...)}, TextBrewer's {@code train(optimizer, dataloader, num_epochs, scheduler_class,
 * scheduler_args, max_grad_norm, num_steps, callback, batch_postprocessor)} minus the data: the optimizer and its
 * learning-rate schedule, {@code num_epochs} or {@code num_steps} ({@code num_steps} wins when both are set), global
 * gradient clipping, callbacks, an evaluation with early stopping, a batch post-processor, the seed, and whether to
 * resume from the newest checkpoint. Immutable.
 *
 * @param <B> the batch type
 * @since 0.1.0
 */
public final class TrainOptions<B> {

    private final OptimizerConfig optimizer;
    private final Integer numEpochs;
    private final Integer numSteps;
    private final double maxGradNorm;
    private final List<Callback> callbacks;
    private final Evaluation evaluation;
    private final UnaryOperator<B> batchPostprocessor;
    private final long seed;
    private final boolean resume;
    private final boolean progressBar;
    private final double tau;

    private TrainOptions(Builder<B> b) {
        optimizer = b.optimizer;
        numEpochs = b.numEpochs;
        numSteps = b.numSteps;
        maxGradNorm = b.maxGradNorm;
        callbacks = List.copyOf(b.callbacks);
        evaluation = b.evaluation;
        batchPostprocessor = b.batchPostprocessor;
        seed = b.seed;
        resume = b.resume;
        progressBar = b.progressBar;
        tau = b.tau;
    }

    /**
     * Starts a builder.
     *
     * @param optimizer the optimizer and learning-rate schedule
     * @param <B> the batch type
     * @return a new builder
     */
    public static <B> Builder<B> builder(OptimizerConfig optimizer) {
        return new Builder<>(optimizer);
    }

    /**
     * Returns the optimizer configuration.
     *
     * @return the optimizer
     */
    public OptimizerConfig optimizer() {
        return optimizer;
    }

    /**
     * Returns the number of epochs.
     *
     * @return {@code num_epochs}, empty in step mode
     */
    public OptionalInt numEpochs() {
        return numEpochs == null ? OptionalInt.empty() : OptionalInt.of(numEpochs);
    }

    /**
     * Returns the number of optimizer steps.
     *
     * @return {@code num_steps}, empty in epoch mode
     */
    public OptionalInt numSteps() {
        return numSteps == null ? OptionalInt.empty() : OptionalInt.of(numSteps);
    }

    /**
     * Returns the global gradient-norm limit.
     *
     * @return {@code max_grad_norm}; {@code <= 0} means no clipping
     */
    public double maxGradNorm() {
        return maxGradNorm;
    }

    /**
     * Returns the callbacks.
     *
     * @return the callbacks, in call order
     */
    public List<Callback> callbacks() {
        return callbacks;
    }

    /**
     * Returns the evaluation.
     *
     * @return the evaluation, empty for none
     */
    public Optional<Evaluation> evaluation() {
        return Optional.ofNullable(evaluation);
    }

    /**
     * Returns the batch post-processor, applied to every batch before the forward pass.
     *
     * @return the post-processor (identity by default)
     */
    public UnaryOperator<B> batchPostprocessor() {
        return batchPostprocessor;
    }

    /**
     * Returns the base seed of the run (data order, dropout, projection initialisation).
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Tells whether training continues from the newest complete checkpoint in {@code output_dir}.
     *
     * @return the flag
     */
    public boolean resume() {
        return resume;
    }

    /**
     * Tells whether a console progress bar is shown.
     *
     * @return the flag
     */
    public boolean progressBar() {
        return progressBar;
    }

    /**
     * Returns the task-sampling exponent of {@link MultiTaskDistiller}: tasks are drawn with probability
     * proportional to {@code size^tau}.
     *
     * @return {@code tau}
     */
    public double tau() {
        return tau;
    }

    /**
     * Starts a builder holding these options.
     *
     * @return a new builder
     */
    public Builder<B> toBuilder() {
        Builder<B> b = new Builder<>(optimizer);
        b.numEpochs = numEpochs;
        b.numSteps = numSteps;
        b.maxGradNorm = maxGradNorm;
        b.callbacks = new ArrayList<>(callbacks);
        b.evaluation = evaluation;
        b.batchPostprocessor = batchPostprocessor;
        b.seed = seed;
        b.resume = resume;
        b.progressBar = progressBar;
        b.tau = tau;
        return b;
    }

    /**
     * Collects the options; {@link #build()} validates them.
     *
     * @param <B> the batch type
     */
    public static final class Builder<B> {
        private final OptimizerConfig optimizer;
        private Integer numEpochs;
        private Integer numSteps;
        private double maxGradNorm = -1;
        private List<Callback> callbacks = new ArrayList<>();
        private Evaluation evaluation;
        private UnaryOperator<B> batchPostprocessor = UnaryOperator.identity();
        private long seed;
        private boolean resume;
        private boolean progressBar;
        private double tau = 1;

        private Builder(OptimizerConfig optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /**
         * Trains for a number of epochs.
         *
         * @param value {@code >= 1}
         * @return this builder
         */
        public Builder<B> optNumEpochs(int value) {
            numEpochs = value;
            return this;
        }

        /**
         * Trains for a number of optimizer steps (needs {@code ckpt_steps} in the training config).
         *
         * @param value {@code >= 1}
         * @return this builder
         */
        public Builder<B> optNumSteps(int value) {
            numSteps = value;
            return this;
        }

        /**
         * Clips the global gradient norm of the student and projection parameters.
         *
         * @param value the limit; {@code <= 0} disables clipping (default -1)
         * @return this builder
         */
        public Builder<B> optMaxGradNorm(double value) {
            maxGradNorm = value;
            return this;
        }

        /**
         * Adds a callback.
         *
         * @param value the callback
         * @return this builder
         */
        public Builder<B> addCallback(Callback value) {
            callbacks.add(Objects.requireNonNull(value, "callback"));
            return this;
        }

        /**
         * Evaluates the student at every checkpoint.
         *
         * @param value the evaluation
         * @return this builder
         */
        public Builder<B> optEvaluation(Evaluation value) {
            evaluation = value;
            return this;
        }

        /**
         * Transforms every batch before the forward pass.
         *
         * @param value the post-processor
         * @return this builder
         */
        public Builder<B> optBatchPostprocessor(UnaryOperator<B> value) {
            batchPostprocessor = Objects.requireNonNull(value, "batchPostprocessor");
            return this;
        }

        /**
         * Sets the base seed (default 0).
         *
         * @param value the seed
         * @return this builder
         */
        public Builder<B> optSeed(long value) {
            seed = value;
            return this;
        }

        /**
         * Continues from the newest complete checkpoint in {@code output_dir} (default false).
         *
         * @param value the flag
         * @return this builder
         */
        public Builder<B> optResume(boolean value) {
            resume = value;
            return this;
        }

        /**
         * Shows a console progress bar on standard error (default false).
         *
         * @param value the flag
         * @return this builder
         */
        public Builder<B> optProgressBar(boolean value) {
            progressBar = value;
            return this;
        }

        /**
         * Sets the task-sampling exponent of multi-task distillation (default 1).
         *
         * @param value {@code >= 0}
         * @return this builder
         */
        public Builder<B> optTau(double value) {
            tau = value;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException naming the invalid argument
         */
        public TrainOptions<B> build() {
            if (numEpochs == null && numSteps == null) {
                throw new IllegalArgumentException("train: set num_epochs or num_steps (both are absent)");
            }
            if (numEpochs != null && numEpochs < 1) {
                throw new IllegalArgumentException("num_epochs = " + numEpochs + ": must be >= 1");
            }
            if (numSteps != null && numSteps < 1) {
                throw new IllegalArgumentException("num_steps = " + numSteps + ": must be >= 1");
            }
            if (!(tau >= 0) || Double.isInfinite(tau)) {
                throw new IllegalArgumentException("tau = " + tau + ": must be a finite number >= 0");
            }
            if (Double.isNaN(maxGradNorm)) {
                throw new IllegalArgumentException("max_grad_norm = NaN: must be a number (<= 0 disables clipping)");
            }
            return new TrainOptions<>(this);
        }
    }
}
