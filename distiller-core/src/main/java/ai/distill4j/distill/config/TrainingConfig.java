package ai.distill4j.distill.config;

import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.JsonReader;
import ai.distill4j.ValidationException;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How training runs: gradient accumulation, when checkpoints are written, where outputs go. The fields and
 * defaults are TextBrewer's {@code TrainingConfig}, so a TextBrewer JSON config loads unchanged; the only
 * addition is {@code keep_last_checkpoints}.
 *
 * <p>This build has a CPU engine only: {@code device} must be {@code "cpu"} (the default here, where TextBrewer
 * defaults to {@code "cuda"}), and {@code fp16}, {@code data_parallel} and {@code local_rank >= 0} are refused when
 * the config is built, with a message that names the field.
 *
 * <p>Instances are immutable; build them with {@link #builder()} or read them with {@link #fromJson(String)}.
 *
 * @since 0.1.0
 */
public final class TrainingConfig {

    /** The JSON keys this config knows. */
    public static final Set<String> JSON_KEYS =
            Set.of(
                    "gradient_accumulation_steps",
                    "ckpt_frequency",
                    "ckpt_epoch_frequency",
                    "ckpt_steps",
                    "log_dir",
                    "output_dir",
                    "device",
                    "fp16",
                    "fp16_opt_level",
                    "data_parallel",
                    "local_rank",
                    "keep_last_checkpoints");

    private static final String PREFIX = "training_config.";

    private final int gradientAccumulationSteps;
    private final int ckptFrequency;
    private final int ckptEpochFrequency;
    private final Integer ckptSteps;
    private final String logDir;
    private final String outputDir;
    private final String device;
    private final boolean fp16;
    private final String fp16OptLevel;
    private final boolean dataParallel;
    private final int localRank;
    private final int keepLastCheckpoints;

    private TrainingConfig(Builder b) {
        gradientAccumulationSteps = b.gradientAccumulationSteps;
        ckptFrequency = b.ckptFrequency;
        ckptEpochFrequency = b.ckptEpochFrequency;
        ckptSteps = b.ckptSteps;
        logDir = b.logDir;
        outputDir = b.outputDir;
        device = b.device;
        fp16 = b.fp16;
        fp16OptLevel = b.fp16OptLevel;
        dataParallel = b.dataParallel;
        localRank = b.localRank;
        keepLastCheckpoints = b.keepLastCheckpoints;
    }

    /**
     * Starts a builder with TextBrewer's defaults (device {@code cpu}).
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
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /**
     * Starts a builder holding this config's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.gradientAccumulationSteps = gradientAccumulationSteps;
        b.ckptFrequency = ckptFrequency;
        b.ckptEpochFrequency = ckptEpochFrequency;
        b.ckptSteps = ckptSteps;
        b.logDir = logDir;
        b.outputDir = outputDir;
        b.device = device;
        b.fp16 = fp16;
        b.fp16OptLevel = fp16OptLevel;
        b.dataParallel = dataParallel;
        b.localRank = localRank;
        b.keepLastCheckpoints = keepLastCheckpoints;
        return b;
    }

    /**
     * Returns how many forward batches make one optimizer step; each batch's loss is divided by it.
     *
     * @return {@code gradient_accumulation_steps}, at least 1
     */
    public int gradientAccumulationSteps() {
        return gradientAccumulationSteps;
    }

    /**
     * Returns how many checkpoints are written per epoch (epoch mode).
     *
     * @return {@code ckpt_frequency}, at least 1
     */
    public int ckptFrequency() {
        return ckptFrequency;
    }

    /**
     * Returns the epoch period of checkpoints (epoch mode); the last epoch always checkpoints.
     *
     * @return {@code ckpt_epoch_frequency}, at least 1
     */
    public int ckptEpochFrequency() {
        return ckptEpochFrequency;
    }

    /**
     * Returns the optimizer-step period of checkpoints in step mode ({@code num_steps} given).
     *
     * @return {@code ckpt_steps}, empty when not set
     */
    public OptionalInt ckptSteps() {
        return ckptSteps == null ? OptionalInt.empty() : OptionalInt.of(ckptSteps);
    }

    /**
     * Returns the TensorBoard event folder.
     *
     * @return {@code log_dir}, empty for no TensorBoard events
     */
    public Optional<String> logDir() {
        return Optional.ofNullable(logDir);
    }

    /**
     * Returns the folder that receives checkpoints and logs.
     *
     * @return {@code output_dir}
     */
    public String outputDir() {
        return outputDir;
    }

    /**
     * Returns the device name; always {@code "cpu"} in this build.
     *
     * @return {@code device}
     */
    public String device() {
        return device;
    }

    /**
     * Returns whether mixed precision was requested; always false in this build.
     *
     * @return {@code fp16}
     */
    public boolean fp16() {
        return fp16;
    }

    /**
     * Returns the Apex optimization level (kept for compatibility; unused).
     *
     * @return {@code fp16_opt_level}
     */
    public String fp16OptLevel() {
        return fp16OptLevel;
    }

    /**
     * Returns whether data parallelism was requested; always false in this build.
     *
     * @return {@code data_parallel}
     */
    public boolean dataParallel() {
        return dataParallel;
    }

    /**
     * Returns the distributed rank; always -1 in this build.
     *
     * @return {@code local_rank}
     */
    public int localRank() {
        return localRank;
    }

    /**
     * Returns how many of the newest checkpoints are kept besides the best one; 0 keeps all (TextBrewer's
     * behaviour).
     *
     * @return {@code keep_last_checkpoints}
     */
    public int keepLastCheckpoints() {
        return keepLastCheckpoints;
    }

    /**
     * Reads a config from JSON text with TextBrewer's field names.
     *
     * @param json the JSON object text
     * @return the config
     * @throws ValidationException for unknown fields or invalid values, naming the field
     */
    public static TrainingConfig fromJson(String json) {
        JsonElement e = JsonParser.parseString(json);
        if (!e.isJsonObject()) {
            throw new ValidationException("a training config must be a JSON object, got " + e);
        }
        return fromJsonObject(e.getAsJsonObject());
    }

    /**
     * Reads a config from a JSON file, as TextBrewer's {@code TrainingConfig.from_json_file}.
     *
     * @param file the file
     * @return the config
     * @throws IOException when the file cannot be read
     */
    public static TrainingConfig fromJsonFile(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Reads a config from a JSON object.
     *
     * @param object the object
     * @return the config
     */
    public static TrainingConfig fromJsonObject(JsonObject object) {
        JsonReader r = new JsonReader(object, "training_config");
        r.requireOnly(JSON_KEYS);
        Builder b = builder();
        b.optGradientAccumulationSteps(r.getInt("gradient_accumulation_steps", b.gradientAccumulationSteps));
        b.optCkptFrequency(r.getInt("ckpt_frequency", b.ckptFrequency));
        b.optCkptEpochFrequency(r.getInt("ckpt_epoch_frequency", b.ckptEpochFrequency));
        b.optCkptSteps(r.getIntOrNull("ckpt_steps"));
        b.optLogDir(r.getString("log_dir", null));
        b.optOutputDir(r.getString("output_dir", b.outputDir));
        b.optDevice(r.getString("device", b.device));
        b.optFp16(r.getBoolean("fp16", false));
        b.optFp16OptLevel(r.getString("fp16_opt_level", b.fp16OptLevel));
        b.optDataParallel(r.getBoolean("data_parallel", false));
        b.optLocalRank(r.getInt("local_rank", -1));
        b.optKeepLastCheckpoints(r.getInt("keep_last_checkpoints", 0));
        return b.build();
    }

    /**
     * Writes every field under TextBrewer's names.
     *
     * @return a new JSON object
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("gradient_accumulation_steps", gradientAccumulationSteps);
        o.addProperty("ckpt_frequency", ckptFrequency);
        o.addProperty("ckpt_epoch_frequency", ckptEpochFrequency);
        o.add("ckpt_steps", ckptSteps == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(ckptSteps));
        o.add("log_dir", logDir == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(logDir));
        o.addProperty("output_dir", outputDir);
        o.addProperty("device", device);
        o.addProperty("fp16", fp16);
        o.addProperty("fp16_opt_level", fp16OptLevel);
        o.addProperty("data_parallel", dataParallel);
        o.addProperty("local_rank", localRank);
        o.addProperty("keep_last_checkpoints", keepLastCheckpoints);
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
        return o instanceof TrainingConfig other && toJsonObject().equals(other.toJsonObject());
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return toJsonObject().hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "TrainingConfig" + toJsonObject();
    }

    /** Collects the fields of a {@link TrainingConfig}; {@link #build()} validates them. */
    public static final class Builder {
        private int gradientAccumulationSteps = 1;
        private int ckptFrequency = 1;
        private int ckptEpochFrequency = 1;
        private Integer ckptSteps;
        private String logDir;
        private String outputDir = "./saved_models";
        private String device = "cpu";
        private boolean fp16;
        private String fp16OptLevel = "O1";
        private boolean dataParallel;
        private int localRank = -1;
        private int keepLastCheckpoints;

        private Builder() {}

        /**
         * Sets {@code gradient_accumulation_steps} (default 1).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder optGradientAccumulationSteps(int value) {
            gradientAccumulationSteps = value;
            return this;
        }

        /**
         * Sets {@code ckpt_frequency} (default 1).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder optCkptFrequency(int value) {
            ckptFrequency = value;
            return this;
        }

        /**
         * Sets {@code ckpt_epoch_frequency} (default 1).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder optCkptEpochFrequency(int value) {
            ckptEpochFrequency = value;
            return this;
        }

        /**
         * Sets {@code ckpt_steps} (default none; required with {@code num_steps}).
         *
         * @param value at least 1, or {@code null}
         * @return this builder
         */
        public Builder optCkptSteps(Integer value) {
            ckptSteps = value;
            return this;
        }

        /**
         * Sets {@code log_dir} (default none).
         *
         * @param value a folder, or {@code null} for no TensorBoard events
         * @return this builder
         */
        public Builder optLogDir(String value) {
            logDir = value;
            return this;
        }

        /**
         * Sets {@code output_dir} (default {@code ./saved_models}).
         *
         * @param value a folder
         * @return this builder
         */
        public Builder optOutputDir(String value) {
            outputDir = value;
            return this;
        }

        /**
         * Sets {@code device}; only {@code "cpu"} is accepted.
         *
         * @param value the device name
         * @return this builder
         */
        public Builder optDevice(String value) {
            device = value;
            return this;
        }

        /**
         * Sets {@code fp16}; only {@code false} is accepted.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder optFp16(boolean value) {
            fp16 = value;
            return this;
        }

        /**
         * Sets {@code fp16_opt_level} (default {@code O1}); kept for compatibility.
         *
         * @param value {@code O0} to {@code O3}
         * @return this builder
         */
        public Builder optFp16OptLevel(String value) {
            fp16OptLevel = value;
            return this;
        }

        /**
         * Sets {@code data_parallel}; only {@code false} is accepted.
         *
         * @param value the flag
         * @return this builder
         */
        public Builder optDataParallel(boolean value) {
            dataParallel = value;
            return this;
        }

        /**
         * Sets {@code local_rank}; only negative values (no distributed training) are accepted.
         *
         * @param value the rank
         * @return this builder
         */
        public Builder optLocalRank(int value) {
            localRank = value;
            return this;
        }

        /**
         * Sets {@code keep_last_checkpoints} (default 0 = keep every checkpoint).
         *
         * @param value at least 0
         * @return this builder
         */
        public Builder optKeepLastCheckpoints(int value) {
            keepLastCheckpoints = value;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the config
         * @throws ValidationException naming the first invalid field, its value and the rule
         */
        public TrainingConfig build() {
            Invalid.check(
                    gradientAccumulationSteps >= 1,
                    PREFIX + "gradient_accumulation_steps",
                    gradientAccumulationSteps,
                    "must be >= 1");
            Invalid.check(ckptFrequency >= 1, PREFIX + "ckpt_frequency", ckptFrequency, "must be >= 1");
            Invalid.check(
                    ckptEpochFrequency >= 1, PREFIX + "ckpt_epoch_frequency", ckptEpochFrequency, "must be >= 1");
            Invalid.check(
                    ckptSteps == null || ckptSteps >= 1,
                    PREFIX + "ckpt_steps",
                    ckptSteps,
                    "must be >= 1 (or absent)");
            Invalid.check(
                    outputDir != null && !outputDir.isBlank(), PREFIX + "output_dir", outputDir, "must not be empty");
            Objects.requireNonNull(device, PREFIX + "device");
            Invalid.check(
                    device.equals("cpu"),
                    PREFIX + "device",
                    device,
                    "only \"cpu\" is supported: this build has a CPU engine only");
            Invalid.check(!fp16, PREFIX + "fp16", true, "mixed precision is not supported on the CPU engine; use false");
            Invalid.check(
                    fp16OptLevel != null && fp16OptLevel.matches("O[0-3]"),
                    PREFIX + "fp16_opt_level",
                    fp16OptLevel,
                    "must be one of O0, O1, O2, O3");
            Invalid.check(
                    !dataParallel,
                    PREFIX + "data_parallel",
                    true,
                    "data parallelism is not supported: this build trains on one CPU; use false");
            Invalid.check(
                    localRank < 0,
                    PREFIX + "local_rank",
                    localRank,
                    "distributed training is not supported: this build trains on one CPU; use -1");
            Invalid.check(
                    keepLastCheckpoints >= 0,
                    PREFIX + "keep_last_checkpoints",
                    keepLastCheckpoints,
                    "must be >= 0 (0 keeps every checkpoint)");
            return new TrainingConfig(this);
        }
    }
}
