package ai.distill4j.distill.checkpoint;

import ai.distill4j.distill.internal.JsonText;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a run stood when a checkpoint was taken: the part of a checkpoint stored as {@code state.json}.
 *
 * <p>Positions count what is done: after a checkpoint with {@code batchesSeen = 120} the next forward batch is batch
 * 120, and {@code metrics.jsonl} holds batches 0..119 ({@link #lastLoggedBatch()}). {@code extra} carries anything
 * else the trainer needs back (schedule positions, a config hash, ...) as JSON-compatible values.
 *
 * <p>In {@code state.json} the fields are {@code global_step}, {@code epoch}, {@code batch_in_epoch},
 * {@code batches_seen}, {@code seed} and {@code extra}. Read back, {@code extra}'s integers are {@link Long}s and its
 * other numbers {@link Double}s, whatever type they were written from.
 *
 * @param globalStep optimizer steps done (the checkpoint is named {@code step-<globalStep>})
 * @param epoch the 0-based epoch the next batch belongs to
 * @param batchInEpoch batches of that epoch already trained, i.e. how many to skip when resuming
 * @param batchesSeen forward batches trained in the whole run
 * @param seed the run's base seed
 * @param extra further values by name: maps with string keys, lists, strings, numbers, booleans, null (unmodifiable)
 * @since 0.1.0
 */
public record TrainingState(long globalStep, int epoch, long batchInEpoch, long batchesSeen, long seed,
        Map<String, Object> extra) {

    /** The version of the {@code state.json} layout. */
    public static final int FORMAT = 1;

    /**
     * Creates a state, copying {@code extra}.
     *
     * @param globalStep optimizer steps done
     * @param epoch the 0-based epoch the next batch belongs to
     * @param batchInEpoch batches of that epoch already trained
     * @param batchesSeen forward batches trained in the whole run
     * @param seed the run's base seed
     * @param extra further JSON-compatible values by name
     * @throws IllegalArgumentException if a position is negative or {@code extra} holds a value that is not
     *     JSON-compatible; the message names the field
     */
    public TrainingState {
        requireNonNegative("globalStep", globalStep);
        requireNonNegative("epoch", epoch);
        requireNonNegative("batchInEpoch", batchInEpoch);
        requireNonNegative("batchesSeen", batchesSeen);
        Objects.requireNonNull(extra, "extra");
        JsonText.checkWritable(extra, "extra");
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /**
     * Creates a state without extra values.
     *
     * @param globalStep optimizer steps done
     * @param epoch the 0-based epoch the next batch belongs to
     * @param batchInEpoch batches of that epoch already trained
     * @param batchesSeen forward batches trained in the whole run
     * @param seed the run's base seed
     * @return the state
     */
    public static TrainingState of(long globalStep, int epoch, long batchInEpoch, long batchesSeen, long seed) {
        return new TrainingState(globalStep, epoch, batchInEpoch, batchesSeen, seed, Map.of());
    }

    /**
     * Returns a copy with one more (or a replaced) extra value.
     *
     * @param key the name
     * @param value a JSON-compatible value
     * @return the new state
     */
    public TrainingState withExtra(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(extra);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new TrainingState(globalStep, epoch, batchInEpoch, batchesSeen, seed, copy);
    }

    /**
     * Returns the last batch the run had logged at this point, the argument for
     * {@code MetricsLog.truncateAfterBatch} when resuming.
     *
     * @return {@code batchesSeen - 1} (-1 when no batch was trained)
     */
    public long lastLoggedBatch() {
        return batchesSeen - 1;
    }

    /**
     * Writes the state as the JSON text of {@code state.json}.
     *
     * @return one line of JSON
     */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("global_step", globalStep);
        json.put("epoch", epoch);
        json.put("batch_in_epoch", batchInEpoch);
        json.put("batches_seen", batchesSeen);
        json.put("seed", seed);
        json.put("extra", extra);
        return JsonText.write(json);
    }

    /**
     * Reads the JSON text of {@code state.json}.
     *
     * @param json the text
     * @return the state
     * @throws IllegalArgumentException if the text is malformed, misses a field or has a newer format; the message
     *     names the field
     */
    @SuppressWarnings("unchecked")
    public static TrainingState fromJson(String json) {
        Map<String, Object> o = JsonText.parseObject(json);
        long format = integer(o, "format");
        if (format > FORMAT) {
            throw new IllegalArgumentException("state.json has format " + format + "; this build reads up to "
                    + FORMAT);
        }
        Object extra = o.getOrDefault("extra", Map.of());
        if (!(extra instanceof Map)) {
            throw new IllegalArgumentException("state.json field 'extra' must be an object, got " + extra);
        }
        long epoch = integer(o, "epoch");
        if (epoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("state.json field 'epoch' is out of range: " + epoch);
        }
        return new TrainingState(integer(o, "global_step"), (int) epoch, integer(o, "batch_in_epoch"),
                integer(o, "batches_seen"), integer(o, "seed"), (Map<String, Object>) extra);
    }

    private static long integer(Map<String, Object> o, String key) {
        Object value = o.get(key);
        if (!(value instanceof Long l)) {
            throw new IllegalArgumentException("state.json field '" + key + "' must be an integer, got " + value);
        }
        return l;
    }

    private static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
    }
}
