package ai.distill4j.distill.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An optimizer that updates parameters in place, keeps its state in a manager it owns (so the state can be saved
 * and restored for an exact resume), and follows PyTorch's update rules. It is also a DJL {@link ParameterServer},
 * so it can be plugged into a {@code ParameterStore}.
 *
 * <p>Parameters are registered by name. {@link #step()} updates every registered parameter that received a
 * gradient, at {@code lr · schedule.factor(steps_taken)} (times the group's own rate when a group sets one), then
 * zeroes the gradients. Parameters without a gradient are skipped, as PyTorch skips parameters whose
 * {@code grad} is None.
 *
 * @since 0.1.0
 */
public abstract class InPlaceOptimizer implements ParameterServer {

    /** A registered parameter with its resolved options. */
    protected static final class Slot {
        final String name;
        final Parameter parameter;
        final double baseLearningRate;
        final double weightDecay;

        Slot(String name, Parameter parameter, double baseLearningRate, double weightDecay) {
            this.name = name;
            this.parameter = parameter;
            this.baseLearningRate = baseLearningRate;
            this.weightDecay = weightDecay;
        }

        /**
         * Returns the parameter's name.
         *
         * @return the name
         */
        public String name() {
            return name;
        }

        /**
         * Returns the weight decay that applies to this parameter.
         *
         * @return the decay, 0 for none
         */
        public double weightDecay() {
            return weightDecay;
        }
    }

    private final NDManager state;
    private final double learningRate;
    private final double weightDecay;
    private final Predicate<String> decayed;
    private final Map<String, Slot> byName = new LinkedHashMap<>();
    private final Map<String, Slot> byId = new LinkedHashMap<>();
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private int steps;

    /**
     * Creates the optimizer.
     *
     * @param parent the manager under which the optimizer's state manager is created
     * @param learningRate the base learning rate
     * @param weightDecay the weight decay for parameters that {@code decayed} accepts
     * @param decayed which parameter names get weight decay
     */
    protected InPlaceOptimizer(NDManager parent, double learningRate, double weightDecay, Predicate<String> decayed) {
        if (!(learningRate >= 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("optimizer.lr = " + learningRate + ": must be a finite number >= 0");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "optimizer.weight_decay = " + weightDecay + ": must be a finite number >= 0");
        }
        this.state = parent.newSubManager();
        this.state.setName("optimizer-state");
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.decayed = Objects.requireNonNull(decayed, "decayed");
    }

    /**
     * The standard decay mask: every parameter except biases and LayerNorm weights (HuggingFace's
     * {@code no_decay = ["bias", "LayerNorm.weight"]}).
     *
     * @return the predicate over parameter names
     */
    public static Predicate<String> decayExceptBiasAndLayerNorm() {
        return name -> !(name.endsWith("bias") || name.contains("LayerNorm") || name.contains("layer_norm"));
    }

    /**
     * Registers parameters with the default options.
     *
     * @param named parameters by name
     * @return this optimizer
     */
    public InPlaceOptimizer addParameters(Map<String, Parameter> named) {
        return addParameters(named, ParameterGroup.DEFAULT);
    }

    /**
     * Registers parameters with a group's options.
     *
     * @param named parameters by name
     * @param group the options
     * @return this optimizer
     * @throws IllegalArgumentException when a name is registered twice
     */
    public InPlaceOptimizer addParameters(Map<String, Parameter> named, ParameterGroup group) {
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            if (byName.containsKey(e.getKey())) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is registered twice");
            }
            double lr = group.learningRate().orElse(learningRate);
            double wd = decayed.test(e.getKey()) ? group.weightDecay().orElse(weightDecay) : 0.0;
            Slot s = new Slot(e.getKey(), e.getValue(), lr, wd);
            byName.put(e.getKey(), s);
            byId.put(e.getValue().getId(), s);
        }
        return this;
    }

    /**
     * Sets the learning-rate schedule.
     *
     * @param value the schedule
     * @return this optimizer
     */
    public InPlaceOptimizer setSchedule(LearningRateSchedule value) {
        schedule = Objects.requireNonNull(value, "schedule");
        return this;
    }

    /**
     * Returns the registered parameters in registration order.
     *
     * @return name to parameter
     */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        byName.forEach((k, v) -> out.put(k, v.parameter));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Returns the number of optimizer steps taken.
     *
     * @return the step count
     */
    public int stepCount() {
        return steps;
    }

    /**
     * Returns the default group's learning rate for the next step.
     *
     * @return {@code lr · factor(stepCount())}
     */
    public double learningRate() {
        return learningRate * schedule.factor(steps);
    }

    /**
     * Updates every registered parameter that has a gradient, then zeroes the gradients.
     *
     * @return the number of steps taken so far, this one included
     */
    public int step() {
        return step(1.0);
    }

    /**
     * Updates every registered parameter that has a gradient, with every gradient first multiplied by
     * {@code gradientScale} (in float32, as {@code grad.mul_(scale)} would), then zeroes the gradients. Global-norm
     * clipping passes its coefficient here ({@link GradientClipping#scale}) instead of rewriting the gradients in a
     * pass of their own.
     *
     * @param gradientScale the factor for every gradient, finite and {@code > 0}; 1 leaves them as they are
     * @return the number of steps taken so far, this one included
     * @throws IllegalArgumentException when the scale is not finite or not positive
     */
    public int step(double gradientScale) {
        if (!(gradientScale > 0) || !Double.isFinite(gradientScale)) {
            throw new IllegalArgumentException("gradientScale = " + gradientScale + ": must be finite and > 0");
        }
        double factor = schedule.factor(steps);
        steps++;
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            updateAll(factor, (float) gradientScale);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return steps;
    }

    /**
     * Counts a step without updating any parameter (a step whose gradient was not finite and is skipped): the step
     * count and so the learning-rate schedule advance, and the gradients are zeroed.
     *
     * @return the number of steps counted so far, this one included
     */
    public int skipStep() {
        steps++;
        zeroGradients();
        return steps;
    }

    private void updateAll(double factor, float gradientScale) {
        for (Slot s : byName.values()) {
            NDArray w = s.parameter.getArray();
            try (NDManager tmp = state.newSubManager()) {
                PtNDArray g = JniUtils.getGradient((PtNDArray) w);
                if (g == null) {
                    continue;
                }
                g.attach(tmp);
                if (!applyAndClear(s, w, g, gradientScale, s.baseLearningRate * factor, steps, tmp)) {
                    JniUtils.zeroGrad((PtNDArray) w);
                }
            }
        }
    }

    /**
     * Zeroes the gradients of every registered parameter without updating (the start of a new window).
     */
    public void zeroGradients() {
        for (Slot s : byName.values()) {
            PtNDArray w = (PtNDArray) s.parameter.getArray();
            PtNDArray g = JniUtils.getGradient(w);
            if (g != null) {
                g.close();
                JniUtils.zeroGrad(w);
            }
        }
    }

    /**
     * Applies one update in place.
     *
     * @param slot the parameter and its options
     * @param weight the parameter's array, updated in place
     * @param grad its gradient (owned by {@code tmp})
     * @param lr the learning rate of this step
     * @param t the 1-based step number
     * @param tmp a manager for temporaries, closed after the call
     */
    protected abstract void apply(Slot slot, NDArray weight, NDArray grad, double lr, int t, NDManager tmp);

    /**
     * Applies one update in place, the gradient first scaled by {@code gradientScale}, and may clear the gradient
     * on the way, saving the separate zero-fill that {@link #step()} otherwise runs. The default scales the gradient
     * in place when the scale is not 1, calls {@link #apply} and leaves the gradient for {@link #step()} to zero.
     *
     * @param slot the parameter and its options
     * @param weight the parameter's array, updated in place
     * @param grad its gradient (owned by {@code tmp}), the parameter's own gradient storage
     * @param gradientScale the factor for the gradient
     * @param lr the learning rate of this step
     * @param t the 1-based step number
     * @param tmp a manager for temporaries, closed after the call
     * @return true when the gradient was zeroed
     */
    protected boolean applyAndClear(Slot slot, NDArray weight, NDArray grad, float gradientScale, double lr, int t,
            NDManager tmp) {
        if (gradientScale != 1f) {
            grad.muli(gradientScale);
        }
        apply(slot, weight, grad, lr, t, tmp);
        return false;
    }

    /**
     * Returns a state array of a parameter, creating it (zero-filled) on first use.
     *
     * @param slot the parameter
     * @param kind the state's name ({@code exp_avg}, ...)
     * @return the array, owned by the optimizer
     */
    protected final NDArray stateArray(Slot slot, String kind) {
        String key = slot.name + "." + kind;
        NDArray a = stateArrays.get(key);
        if (a == null) {
            NDArray w = slot.parameter.getArray();
            a = state.zeros(w.getShape(), w.getDataType());
            a.setName(key);
            stateArrays.put(key, a);
        }
        return a;
    }

    private final Map<String, NDArray> stateArrays = new LinkedHashMap<>();

    /**
     * Returns the optimizer's state arrays by name ({@code <param>.<kind>}), for checkpoints.
     *
     * @return the live arrays (do not close them)
     */
    public Map<String, NDArray> stateArrays() {
        return Collections.unmodifiableMap(stateArrays);
    }

    /**
     * Restores the state saved by {@link #stateArrays()} and {@link #stepCount()}.
     *
     * @param arrays state arrays by name; copied into the optimizer's own arrays
     * @param stepCount the number of steps taken
     */
    public void loadState(Map<String, NDArray> arrays, int stepCount) {
        for (NDArray a : stateArrays.values()) {
            a.close();
        }
        stateArrays.clear();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            NDArray copy = state.zeros(e.getValue().getShape(), e.getValue().getDataType());
            e.getValue().copyTo(copy);
            copy.setName(e.getKey());
            stateArrays.put(e.getKey(), copy);
        }
        this.steps = stepCount;
    }

    /**
     * Lists the names of the registered parameters that are decayed.
     *
     * @return names with a non-zero weight decay
     */
    public List<String> decayedParameters() {
        List<String> out = new ArrayList<>();
        byName.values().stream().filter(s -> s.weightDecay != 0).forEach(s -> out.add(s.name));
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public void init(String parameterId, NDArray[] value) {}

    /**
     * {@inheritDoc}
     *
     * <p>Updates one registered parameter at the current learning rate without advancing the step count; the
     * training loop uses {@link #step()} instead.
     */
    @Override
    public void update(String parameterId, NDArray[] params) {
        Slot s = byId.get(parameterId);
        if (s == null) {
            return;
        }
        try (NDManager tmp = state.newSubManager()) {
            PtNDArray g = JniUtils.getGradient((PtNDArray) params[0]);
            if (g == null) {
                return;
            }
            g.attach(tmp);
            if (!applyAndClear(s, params[0], g, 1f, s.baseLearningRate * schedule.factor(steps), steps + 1, tmp)) {
                JniUtils.zeroGrad((PtNDArray) params[0]);
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray[] grads, NDArray[] params) {
        Slot s = byId.get(parameterId);
        if (s == null) {
            return;
        }
        try (NDManager tmp = state.newSubManager()) {
            apply(s, params[0], grads[0], s.baseLearningRate * schedule.factor(steps), steps + 1, tmp);
        }
    }

    /** Frees the optimizer state. */
    @Override
    public void close() {
        state.close();
    }
}
