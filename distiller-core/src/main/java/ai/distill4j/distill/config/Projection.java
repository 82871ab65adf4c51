package ai.distill4j.distill.config;

import ai.distill4j.distill.internal.DidYouMean;
import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.JsonReader;
import ai.distill4j.ValidationException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A projection that maps a student feature to the teacher's width before a match loss: TextBrewer's
 * {@code proj = [kind, dim_in, dim_out]} or {@code [kind, dim_in, dim_out, {options}]}. {@code dim_in} is the
 * student's width, {@code dim_out} the teacher's. The layer is {@code Linear(dim_in, dim_out)} initialised
 * N(0, 0.02²) with zero bias, followed by the activation of {@code kind}: {@code linear} (none), {@code relu} or
 * {@code tanh}. Options: {@code lr} (this projection's own learning rate) and {@code weight_decay}.
 *
 * @param kind {@code linear}, {@code relu} or {@code tanh}
 * @param dimIn the student's width
 * @param dimOut the teacher's width
 * @param options optimizer options for the projection's parameters ({@code lr}, {@code weight_decay})
 * @since 0.1.0
 */
public record Projection(String kind, int dimIn, int dimOut, Map<String, Object> options) {

    /** The projection kinds. */
    public static final Set<String> KINDS = Set.of("linear", "relu", "tanh");

    /** The option names a projection accepts. */
    public static final Set<String> OPTIONS = Set.of("lr", "weight_decay");

    /**
     * Validates and copies.
     *
     * @param kind {@code linear}, {@code relu} or {@code tanh}
     * @param dimIn the student's width, positive
     * @param dimOut the teacher's width, positive
     * @param options optimizer options, may be empty
     */
    public Projection {
        Invalid.check(KINDS.contains(kind), "proj[0]", kind, "the projection kind must be one of " + sorted(KINDS)
                + DidYouMean.hint(kind, KINDS));
        Invalid.check(dimIn > 0, "proj[1]", dimIn, "dim_in (the student's width) must be > 0");
        Invalid.check(dimOut > 0, "proj[2]", dimOut, "dim_out (the teacher's width) must be > 0");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options == null ? Map.of() : options));
        for (Map.Entry<String, Object> e : options.entrySet()) {
            Invalid.check(
                    OPTIONS.contains(e.getKey()),
                    "proj[3]." + e.getKey(),
                    e.getValue(),
                    "unknown projection option; known options are " + sorted(OPTIONS)
                            + DidYouMean.hint(e.getKey(), OPTIONS));
            Invalid.check(
                    e.getValue() instanceof Number n && n.doubleValue() >= 0,
                    "proj[3]." + e.getKey(),
                    e.getValue(),
                    "must be a number >= 0");
        }
    }

    /**
     * Creates a projection without options.
     *
     * @param kind {@code linear}, {@code relu} or {@code tanh}
     * @param dimIn the student's width
     * @param dimOut the teacher's width
     * @return the projection
     */
    public static Projection of(String kind, int dimIn, int dimOut) {
        return new Projection(kind, dimIn, dimOut, Map.of());
    }

    /**
     * Returns this projection's own learning rate, if set.
     *
     * @return the {@code lr} option
     */
    public OptionalDouble learningRate() {
        Object v = options.get("lr");
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(((Number) v).doubleValue());
    }

    /**
     * Returns this projection's own weight decay, if set.
     *
     * @return the {@code weight_decay} option
     */
    public OptionalDouble weightDecay() {
        Object v = options.get("weight_decay");
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(((Number) v).doubleValue());
    }

    /**
     * Reads TextBrewer's list form.
     *
     * @param e the JSON array {@code [kind, dim_in, dim_out(, {options})]}
     * @param field the field name for messages
     * @return the projection
     */
    @SuppressWarnings("unchecked")
    public static Projection fromJson(JsonElement e, String field) {
        if (!e.isJsonArray() || e.getAsJsonArray().size() < 3 || e.getAsJsonArray().size() > 4) {
            throw Invalid.value(field, e.toString(), "must be [kind, dim_in, dim_out] or [kind, dim_in, dim_out, {options}]");
        }
        JsonArray a = e.getAsJsonArray();
        if (!a.get(0).isJsonPrimitive() || !a.get(0).getAsJsonPrimitive().isString()) {
            throw Invalid.value(field + "[0]", a.get(0).toString(), "the projection kind must be a string");
        }
        Map<String, Object> options = Map.of();
        if (a.size() == 4) {
            if (!a.get(3).isJsonObject()) {
                throw Invalid.value(field + "[3]", a.get(3).toString(), "projection options must be a JSON object");
            }
            options = (Map<String, Object>) JsonReader.toJava(a.get(3));
        }
        try {
            return new Projection(
                    a.get(0).getAsString(),
                    JsonReader.asInt(a.get(1), field + "[1]"),
                    JsonReader.asInt(a.get(2), field + "[2]"),
                    options);
        } catch (IllegalArgumentException ex) {
            String m = String.valueOf(ex.getMessage());
            throw new ValidationException(m.startsWith("proj") ? field + m.substring("proj".length()) : m, ex);
        }
    }

    /**
     * Writes TextBrewer's list form.
     *
     * @return the JSON array
     */
    public JsonArray toJson() {
        List<Object> list = new ArrayList<>(List.of(kind, dimIn, dimOut));
        if (!options.isEmpty()) {
            list.add(options);
        }
        return JsonReader.toJson(list).getAsJsonArray();
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        Collections.sort(l);
        return l;
    }
}
