package ai.distill4j.distill.optim;

import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.JsonReader;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Set;

/**
 * Which optimizer and learning-rate schedule a run uses, as a run file's {@code optimizer} object:
 * {@code {"name": "sgd" | "adamw", "lr", "weight_decay": 0, "warmup_proportion": 0, "schedule": "constant" |
 * "linear"}}, plus {@code betas}, {@code eps}, {@code momentum} and {@code warmup_steps}. Immutable; validated when
 * built. The optimizer itself is created by {@link #create(NDManager)} once the trainable parameters are known, and
 * the schedule by {@link #schedule(int)} once the total number of optimizer steps is known.
 *
 * @since 0.1.0
 */
public final class OptimizerConfig {

    /** The JSON keys this object knows. */
    public static final Set<String> JSON_KEYS =
            Set.of("name", "lr", "weight_decay", "warmup_proportion", "warmup_steps", "schedule", "betas", "eps",
                    "momentum");

    private final String name;
    private final double lr;
    private final double weightDecay;
    private final double warmupProportion;
    private final Integer warmupSteps;
    private final String schedule;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double momentum;

    private OptimizerConfig(Builder b) {
        name = b.name;
        lr = b.lr;
        weightDecay = b.weightDecay;
        warmupProportion = b.warmupProportion;
        warmupSteps = b.warmupSteps;
        schedule = b.schedule;
        beta1 = b.beta1;
        beta2 = b.beta2;
        eps = b.eps;
        momentum = b.momentum;
    }

    /**
     * Starts a builder for AdamW (PyTorch defaults, weight decay 0, constant schedule).
     *
     * @param lr the base learning rate
     * @return a new builder
     */
    public static Builder adamW(double lr) {
        return new Builder("adamw", lr);
    }

    /**
     * Starts a builder for SGD (no momentum, no decay, constant schedule).
     *
     * @param lr the learning rate
     * @return a new builder
     */
    public static Builder sgd(double lr) {
        return new Builder("sgd", lr);
    }

    /**
     * Returns the optimizer name.
     *
     * @return {@code sgd} or {@code adamw}
     */
    public String name() {
        return name;
    }

    /**
     * Returns the base learning rate.
     *
     * @return {@code lr}
     */
    public double lr() {
        return lr;
    }

    /**
     * Returns the weight decay.
     *
     * @return {@code weight_decay}
     */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Returns the schedule name.
     *
     * @return {@code constant} or {@code linear}
     */
    public String scheduleName() {
        return schedule;
    }

    /**
     * Returns the number of warmup steps for a run of {@code totalSteps} optimizer steps.
     *
     * @param totalSteps the total
     * @return {@code warmup_steps} if set, else {@code floor(warmup_proportion · totalSteps)}
     */
    public int warmupSteps(int totalSteps) {
        return warmupSteps != null ? warmupSteps : (int) Math.floor(warmupProportion * totalSteps);
    }

    /**
     * Creates the optimizer (parameters are added afterwards).
     *
     * @param parent the manager under which the optimizer's state lives
     * @return the optimizer
     */
    public InPlaceOptimizer create(NDManager parent) {
        if (name.equals("adamw")) {
            return new AdamW(parent, lr, weightDecay, beta1, beta2, eps, InPlaceOptimizer.decayExceptBiasAndLayerNorm());
        }
        return new Sgd(parent, lr, weightDecay, momentum, InPlaceOptimizer.decayExceptBiasAndLayerNorm());
    }

    /**
     * Creates the learning-rate schedule for a run.
     *
     * @param totalSteps the total number of optimizer steps
     * @return the schedule
     */
    public LearningRateSchedule schedule(int totalSteps) {
        int warmup = warmupSteps(totalSteps);
        return schedule.equals("linear")
                ? LearningRateSchedule.linearWithWarmup(warmup, Math.max(1, totalSteps))
                : LearningRateSchedule.constantWithWarmup(warmup);
    }

    /**
     * Reads the JSON form.
     *
     * @param object the object
     * @param field the field name for messages
     * @return the config
     */
    public static OptimizerConfig fromJson(JsonObject object, String field) {
        JsonReader r = new JsonReader(object, field);
        r.requireOnly(JSON_KEYS);
        if (!r.has("name") || !r.has("lr")) {
            throw new IllegalArgumentException(field + " needs \"name\" (sgd or adamw) and \"lr\"");
        }
        Builder b = new Builder(r.getString("name", null), r.getDouble("lr", 0));
        b.field = field;
        b.optWeightDecay(r.getDouble("weight_decay", 0));
        b.optWarmupProportion(r.getDouble("warmup_proportion", 0));
        b.optWarmupSteps(r.getIntOrNull("warmup_steps"));
        b.optSchedule(r.getString("schedule", "constant"));
        JsonArray betas = r.getArray("betas");
        if (betas != null) {
            Invalid.check(betas.size() == 2, r.field("betas"), betas.toString(), "must be [beta1, beta2]");
            b.optBetas(JsonReader.asDouble(betas.get(0), r.field("betas[0]")),
                    JsonReader.asDouble(betas.get(1), r.field("betas[1]")));
        }
        b.optEps(r.getDouble("eps", b.eps));
        b.optMomentum(r.getDouble("momentum", 0));
        return b.build();
    }

    /**
     * Writes the JSON form.
     *
     * @return a new object
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("lr", lr);
        o.addProperty("weight_decay", weightDecay);
        o.addProperty("warmup_proportion", warmupProportion);
        if (warmupSteps != null) {
            o.addProperty("warmup_steps", warmupSteps);
        }
        o.addProperty("schedule", schedule);
        if (name.equals("adamw")) {
            JsonArray betas = new JsonArray();
            betas.add(beta1);
            betas.add(beta2);
            o.add("betas", betas);
            o.addProperty("eps", eps);
        } else {
            o.addProperty("momentum", momentum);
        }
        return o;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "OptimizerConfig" + toJsonObject();
    }

    /** Collects the fields of an {@link OptimizerConfig}; {@link #build()} validates them. */
    public static final class Builder {
        private final String name;
        private final double lr;
        private double weightDecay;
        private double warmupProportion;
        private Integer warmupSteps;
        private String schedule = "constant";
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double momentum;
        private String field = "optimizer";

        private Builder(String name, double lr) {
            this.name = name;
            this.lr = lr;
        }

        /**
         * Sets the weight decay (default 0); AdamW decouples it, SGD adds it to the gradient. Biases and LayerNorm
         * weights are never decayed.
         *
         * @param value {@code >= 0}
         * @return this builder
         */
        public Builder optWeightDecay(double value) {
            weightDecay = value;
            return this;
        }

        /**
         * Sets the warmup as a fraction of the total optimizer steps (default 0).
         *
         * @param value in [0, 1]
         * @return this builder
         */
        public Builder optWarmupProportion(double value) {
            warmupProportion = value;
            return this;
        }

        /**
         * Sets the warmup as a number of optimizer steps (overrides the proportion).
         *
         * @param value {@code >= 0}, or {@code null}
         * @return this builder
         */
        public Builder optWarmupSteps(Integer value) {
            warmupSteps = value;
            return this;
        }

        /**
         * Sets the schedule (default {@code constant}).
         *
         * @param value {@code constant} or {@code linear} (decay to 0 at the last step)
         * @return this builder
         */
        public Builder optSchedule(String value) {
            schedule = value;
            return this;
        }

        /**
         * Sets AdamW's moment decays (default 0.9, 0.999).
         *
         * @param b1 in [0, 1)
         * @param b2 in [0, 1)
         * @return this builder
         */
        public Builder optBetas(double b1, double b2) {
            beta1 = b1;
            beta2 = b2;
            return this;
        }

        /**
         * Sets AdamW's epsilon (default 1e-8).
         *
         * @param value {@code > 0}
         * @return this builder
         */
        public Builder optEps(double value) {
            eps = value;
            return this;
        }

        /**
         * Sets SGD's momentum (default 0).
         *
         * @param value in [0, 1)
         * @return this builder
         */
        public Builder optMomentum(double value) {
            momentum = value;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the config
         */
        public OptimizerConfig build() {
            Invalid.check(name != null && (name.equals("sgd") || name.equals("adamw")), field + ".name", name,
                    "must be \"sgd\" or \"adamw\"");
            Invalid.check(Double.isFinite(lr) && lr >= 0, field + ".lr", lr, "must be a finite number >= 0");
            Invalid.check(Double.isFinite(weightDecay) && weightDecay >= 0, field + ".weight_decay", weightDecay,
                    "must be a finite number >= 0");
            Invalid.check(warmupProportion >= 0 && warmupProportion <= 1, field + ".warmup_proportion",
                    warmupProportion, "must be in [0, 1]");
            Invalid.check(warmupSteps == null || warmupSteps >= 0, field + ".warmup_steps", warmupSteps,
                    "must be >= 0");
            Invalid.check(schedule != null && (schedule.equals("constant") || schedule.equals("linear")),
                    field + ".schedule", schedule, "must be \"constant\" or \"linear\"");
            Invalid.check(beta1 >= 0 && beta1 < 1, field + ".betas[0]", beta1, "must be in [0, 1)");
            Invalid.check(beta2 >= 0 && beta2 < 1, field + ".betas[1]", beta2, "must be in [0, 1)");
            Invalid.check(eps > 0, field + ".eps", eps, "must be > 0");
            Invalid.check(momentum >= 0 && momentum < 1, field + ".momentum", momentum, "must be in [0, 1)");
            Invalid.check(!name.equals("sgd") || beta1 == 0.9 && beta2 == 0.999, field + ".betas", "[" + beta1
                    + ", " + beta2 + "]", "betas apply to adamw only");
            Invalid.check(!name.equals("adamw") || momentum == 0, field + ".momentum", momentum,
                    "momentum applies to sgd only");
            return new OptimizerConfig(this);
        }
    }
}
