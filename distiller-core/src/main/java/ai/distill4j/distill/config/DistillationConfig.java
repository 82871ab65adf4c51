package ai.distill4j.distill.config;

import ai.distill4j.distill.internal.DidYouMean;
import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.JsonReader;
import ai.distill4j.ValidationException;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What is distilled and how the losses are weighted: TextBrewer's {@code DistillationConfig} with every field and
 * default ({@code temperature} 4, {@code kd_loss_type} {@code ce}, {@code kd_loss_weight} 1, {@code hard_label_weight}
 * 0, no schedulers, no probability shift, no intermediate matches, no logits caching).
 *
 * <p>The total loss of a batch is {@code w_kd · Σ_k KD(S_k, T_k, τ) + w_hl · Σ_j mean(losses_j) + Σ_m w_m · L_m}.
 * Weight schedulers replace the configured weight after each optimizer step by
 * {@code scheduler(global_step / total_steps)} (TextBrewer semantics); the config itself is never changed.
 *
 * <p>Instances are immutable and validated when built: every loss and scheduler name must be registered in the
 * {@link LossRegistry} (the global one unless another is given), the temperature must be positive, and every
 * intermediate match's layer form must fit its loss.
 *
 * @since 0.1.0
 */
public final class DistillationConfig {

    /** The JSON keys this config knows. */
    public static final Set<String> JSON_KEYS =
            Set.of(
                    "temperature",
                    "temperature_scheduler",
                    "hard_label_weight",
                    "hard_label_weight_scheduler",
                    "kd_loss_type",
                    "kd_loss_weight",
                    "kd_loss_weight_scheduler",
                    "probability_shift",
                    "intermediate_matches",
                    "is_caching_logits",
                    "kd_loss_args");

    private static final String PREFIX = "distillation_config.";

    private final double temperature;
    private final TemperatureSchedule temperatureScheduler;
    private final double hardLabelWeight;
    private final String hardLabelWeightScheduler;
    private final String kdLossType;
    private final LossArgs kdLossArgs;
    private final double kdLossWeight;
    private final String kdLossWeightScheduler;
    private final boolean probabilityShift;
    private final List<IntermediateMatch> intermediateMatches;
    private final boolean isCachingLogits;

    private DistillationConfig(Builder b) {
        temperature = b.temperature;
        temperatureScheduler = b.temperatureScheduler;
        hardLabelWeight = b.hardLabelWeight;
        hardLabelWeightScheduler = b.hardLabelWeightScheduler;
        kdLossType = b.kdLossType;
        kdLossArgs = b.kdLossArgs;
        kdLossWeight = b.kdLossWeight;
        kdLossWeightScheduler = b.kdLossWeightScheduler;
        probabilityShift = b.probabilityShift;
        intermediateMatches = List.copyOf(b.intermediateMatches);
        isCachingLogits = b.isCachingLogits;
    }

    /**
     * Starts a builder with TextBrewer's defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the config with every default.
     *
     * @return the default config
     */
    public static DistillationConfig defaults() {
        return builder().build();
    }

    /**
     * Starts a builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.temperature = temperature;
        b.temperatureScheduler = temperatureScheduler;
        b.hardLabelWeight = hardLabelWeight;
        b.hardLabelWeightScheduler = hardLabelWeightScheduler;
        b.kdLossType = kdLossType;
        b.kdLossArgs = kdLossArgs;
        b.kdLossWeight = kdLossWeight;
        b.kdLossWeightScheduler = kdLossWeightScheduler;
        b.probabilityShift = probabilityShift;
        b.intermediateMatches = new ArrayList<>(intermediateMatches);
        b.isCachingLogits = isCachingLogits;
        return b;
    }

    /**
     * Returns the base temperature τ; both logits are divided by it inside the KD loss.
     *
     * @return {@code temperature}, {@code > 0}
     */
    public double temperature() {
        return temperature;
    }

    /**
     * Returns the temperature scheduler.
     *
     * @return {@code temperature_scheduler}, empty for none
     */
    public Optional<TemperatureSchedule> temperatureScheduler() {
        return Optional.ofNullable(temperatureScheduler);
    }

    /**
     * Returns the initial weight of the hard-label losses.
     *
     * @return {@code hard_label_weight}
     */
    public double hardLabelWeight() {
        return hardLabelWeight;
    }

    /**
     * Returns the weight scheduler of the hard-label losses.
     *
     * @return {@code hard_label_weight_scheduler}, empty for none
     */
    public Optional<String> hardLabelWeightScheduler() {
        return Optional.ofNullable(hardLabelWeightScheduler);
    }

    /**
     * Returns the KD loss's registry name.
     *
     * @return {@code kd_loss_type}
     */
    public String kdLossType() {
        return kdLossType;
    }

    /**
     * Returns the KD loss arguments (a distill4j addition).
     *
     * @return {@code kd_loss_args}
     */
    public LossArgs kdLossArgs() {
        return kdLossArgs;
    }

    /**
     * Returns the initial weight of the KD loss.
     *
     * @return {@code kd_loss_weight}
     */
    public double kdLossWeight() {
        return kdLossWeight;
    }

    /**
     * Returns the weight scheduler of the KD loss.
     *
     * @return {@code kd_loss_weight_scheduler}, empty for none
     */
    public Optional<String> kdLossWeightScheduler() {
        return Optional.ofNullable(kdLossWeightScheduler);
    }

    /**
     * Returns whether the teacher's top logit is swapped with the gold label's logit before KD.
     *
     * @return {@code probability_shift}
     */
    public boolean probabilityShift() {
        return probabilityShift;
    }

    /**
     * Returns the intermediate matches.
     *
     * @return {@code intermediate_matches}, possibly empty
     */
    public List<IntermediateMatch> intermediateMatches() {
        return intermediateMatches;
    }

    /**
     * Returns whether the teacher's logits are computed once and reused every epoch.
     *
     * @return {@code is_caching_logits}
     */
    public boolean isCachingLogits() {
        return isCachingLogits;
    }

    /**
     * Reads a config from JSON text with TextBrewer's field names.
     *
     * @param json the JSON object text
     * @return the config
     * @throws ValidationException for unknown fields or invalid values, naming the field
     */
    public static DistillationConfig fromJson(String json) {
        JsonElement e = JsonParser.parseString(json);
        if (!e.isJsonObject()) {
            throw new ValidationException("a distillation config must be a JSON object, got " + e);
        }
        return fromJsonObject(e.getAsJsonObject(), LossRegistry.global());
    }

    /**
     * Reads a config from a JSON file, as TextBrewer's {@code DistillationConfig.from_json_file}.
     *
     * @param file the file
     * @return the config
     * @throws IOException when the file cannot be read
     */
    public static DistillationConfig fromJsonFile(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Reads a config from a JSON object, checking names against a registry.
     *
     * @param object the object
     * @param registry the registry
     * @return the config
     */
    @SuppressWarnings("unchecked")
    public static DistillationConfig fromJsonObject(JsonObject object, LossRegistry registry) {
        JsonReader r = new JsonReader(object, "distillation_config");
        r.requireOnly(JSON_KEYS);
        Builder b = builder().optRegistry(registry);
        b.optTemperature(r.getDouble("temperature", b.temperature));
        b.temperatureScheduler =
                TemperatureSchedule.fromJson(r.raw("temperature_scheduler"), r.field("temperature_scheduler"), registry);
        b.optHardLabelWeight(r.getDouble("hard_label_weight", b.hardLabelWeight));
        b.optHardLabelWeightScheduler(r.getString("hard_label_weight_scheduler", "none"));
        b.optKdLossType(r.getString("kd_loss_type", b.kdLossType));
        if (r.has("kd_loss_args")) {
            b.optKdLossArgs(new LossArgs((Map<String, Object>) JsonReader.toJava(r.getObject("kd_loss_args").object())));
        }
        b.optKdLossWeight(r.getDouble("kd_loss_weight", b.kdLossWeight));
        b.optKdLossWeightScheduler(r.getString("kd_loss_weight_scheduler", "none"));
        b.optProbabilityShift(r.getBoolean("probability_shift", false));
        b.optCachingLogits(r.getBoolean("is_caching_logits", false));
        JsonArray matches = r.getArray("intermediate_matches");
        if (matches != null) {
            for (int i = 0; i < matches.size(); i++) {
                String field = r.field("intermediate_matches") + "[" + i + "]";
                JsonElement m = matches.get(i);
                if (!m.isJsonObject()) {
                    throw Invalid.value(field, m.toString(), "an intermediate match must be a JSON object");
                }
                b.addIntermediateMatch(IntermediateMatch.fromJson(m.getAsJsonObject(), field, registry));
            }
        }
        return b.build();
    }

    /**
     * Writes every field under TextBrewer's names.
     *
     * @return a new JSON object
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("temperature", temperature);
        o.add(
                "temperature_scheduler",
                temperatureScheduler == null ? new com.google.gson.JsonPrimitive("none") : temperatureScheduler.toJson());
        o.addProperty("hard_label_weight", hardLabelWeight);
        o.addProperty("hard_label_weight_scheduler", hardLabelWeightScheduler == null ? "none" : hardLabelWeightScheduler);
        o.addProperty("kd_loss_type", kdLossType);
        if (!kdLossArgs.values().isEmpty()) {
            o.add("kd_loss_args", JsonReader.toJson(kdLossArgs.values()));
        }
        o.addProperty("kd_loss_weight", kdLossWeight);
        o.addProperty("kd_loss_weight_scheduler", kdLossWeightScheduler == null ? "none" : kdLossWeightScheduler);
        o.addProperty("probability_shift", probabilityShift);
        JsonArray a = new JsonArray();
        for (IntermediateMatch m : intermediateMatches) {
            a.add(m.toJsonObject());
        }
        o.add("intermediate_matches", a);
        o.addProperty("is_caching_logits", isCachingLogits);
        return o;
    }

    /**
     * Writes the config as pretty-printed JSON.
     *
     * @return the JSON text
     */
    public String toJson() {
        return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(toJsonObject());
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof DistillationConfig other && toJsonObject().equals(other.toJsonObject());
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return toJsonObject().hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "DistillationConfig" + toJsonObject();
    }

    /** Collects the fields of a {@link DistillationConfig}; {@link #build()} validates them. */
    public static final class Builder {
        private double temperature = 4;
        private TemperatureSchedule temperatureScheduler;
        private double hardLabelWeight = 0;
        private String hardLabelWeightScheduler;
        private String kdLossType = "ce";
        private LossArgs kdLossArgs = LossArgs.EMPTY;
        private double kdLossWeight = 1;
        private String kdLossWeightScheduler;
        private boolean probabilityShift;
        private List<IntermediateMatch> intermediateMatches = new ArrayList<>();
        private boolean isCachingLogits;
        private LossRegistry registry = LossRegistry.global();

        private Builder() {}

        /**
         * Sets {@code temperature} (default 4).
         *
         * @param value {@code > 0}
         * @return this builder
         */
        public Builder optTemperature(double value) {
            temperature = value;
            return this;
        }

        /**
         * Sets {@code temperature_scheduler} (default none).
         *
         * @param value the schedule, or {@code null} for none
         * @return this builder
         */
        public Builder optTemperatureScheduler(TemperatureSchedule value) {
            temperatureScheduler = value;
            return this;
        }

        /**
         * Sets {@code hard_label_weight} (default 0).
         *
         * @param value {@code >= 0}
         * @return this builder
         */
        public Builder optHardLabelWeight(double value) {
            hardLabelWeight = value;
            return this;
        }

        /**
         * Sets {@code hard_label_weight_scheduler} (default {@code none}).
         *
         * @param value a weight-scheduler name ({@code linear_decay}, {@code linear_growth}) or {@code none}
         * @return this builder
         */
        public Builder optHardLabelWeightScheduler(String value) {
            hardLabelWeightScheduler = value == null || value.equals("none") ? null : value;
            return this;
        }

        /**
         * Sets {@code kd_loss_type} (default {@code ce}).
         *
         * @param value a KD-loss registry name
         * @return this builder
         */
        public Builder optKdLossType(String value) {
            kdLossType = value;
            return this;
        }

        /**
         * Sets the KD loss arguments (default none).
         *
         * @param value the arguments
         * @return this builder
         */
        public Builder optKdLossArgs(LossArgs value) {
            kdLossArgs = value == null ? LossArgs.EMPTY : value;
            return this;
        }

        /**
         * Sets {@code kd_loss_weight} (default 1).
         *
         * @param value {@code >= 0}
         * @return this builder
         */
        public Builder optKdLossWeight(double value) {
            kdLossWeight = value;
            return this;
        }

        /**
         * Sets {@code kd_loss_weight_scheduler} (default {@code none}).
         *
         * @param value a weight-scheduler name or {@code none}
         * @return this builder
         */
        public Builder optKdLossWeightScheduler(String value) {
            kdLossWeightScheduler = value == null || value.equals("none") ? null : value;
            return this;
        }

        /**
         * Sets {@code probability_shift} (default false).
         *
         * @param value the flag
         * @return this builder
         */
        public Builder optProbabilityShift(boolean value) {
            probabilityShift = value;
            return this;
        }

        /**
         * Adds an intermediate match.
         *
         * @param match the match
         * @return this builder
         */
        public Builder addIntermediateMatch(IntermediateMatch match) {
            intermediateMatches.add(Objects.requireNonNull(match, "match"));
            return this;
        }

        /**
         * Replaces the intermediate matches.
         *
         * @param matches the matches
         * @return this builder
         */
        public Builder optIntermediateMatches(List<IntermediateMatch> matches) {
            intermediateMatches = new ArrayList<>(matches);
            return this;
        }

        /**
         * Sets {@code is_caching_logits} (default false).
         *
         * @param value the flag
         * @return this builder
         */
        public Builder optCachingLogits(boolean value) {
            isCachingLogits = value;
            return this;
        }

        /**
         * Sets the registry names are checked against (default {@link LossRegistry#global()}).
         *
         * @param value the registry
         * @return this builder
         */
        public Builder optRegistry(LossRegistry value) {
            registry = Objects.requireNonNull(value, "registry");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the config
         * @throws ValidationException naming the first invalid field, its value and the rule
         */
        public DistillationConfig build() {
            Invalid.check(
                    Double.isFinite(temperature) && temperature > 0,
                    PREFIX + "temperature",
                    temperature,
                    "the temperature must be a finite number > 0");
            Invalid.check(
                    Double.isFinite(hardLabelWeight) && hardLabelWeight >= 0,
                    PREFIX + "hard_label_weight",
                    hardLabelWeight,
                    "must be a finite number >= 0");
            Invalid.check(
                    Double.isFinite(kdLossWeight) && kdLossWeight >= 0,
                    PREFIX + "kd_loss_weight",
                    kdLossWeight,
                    "must be a finite number >= 0");
            if (kdLossType == null || !registry.kdNames().contains(kdLossType)) {
                throw Invalid.unknownName(PREFIX + "kd_loss_type", kdLossType, "KD loss", registry.kdNames());
            }
            try {
                registry.kd(kdLossType, kdLossArgs);
            } catch (IllegalArgumentException e) {
                throw new ValidationException(PREFIX + "kd_loss_args: " + e.getMessage(), e);
            }
            for (String[] f :
                    new String[][] {
                        {"kd_loss_weight_scheduler", kdLossWeightScheduler},
                        {"hard_label_weight_scheduler", hardLabelWeightScheduler}
                    }) {
                Invalid.check(
                        f[1] == null || registry.weightNames().contains(f[1]),
                        PREFIX + f[0],
                        f[1],
                        "unknown weight scheduler; known names are " + registry.weightNames() + " or \"none\""
                                + DidYouMean.hint(f[1], registry.weightNames()));
            }
            if (temperatureScheduler != null) {
                temperatureScheduler.validate(PREFIX + "temperature_scheduler", registry);
            }
            return new DistillationConfig(this);
        }
    }
}
