package ai.distill4j.distill.config;

import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.JsonReader;
import ai.distill4j.ValidationException;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.TemperatureScheduler;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A temperature scheduler named in a config, with its parameters: TextBrewer's {@code "constant"},
 * {@code ["flsw", beta, gamma]}, {@code ["cwsm", beta]}, or the dict form {@code ["flsw", {"beta": 1, "gamma": 2}]}.
 * Positional parameters are named for the built-ins ({@code flsw}: beta, gamma, eps; {@code cwsm}: beta);
 * schedulers registered by users take the dict form.
 *
 * @param name the registry name
 * @param args the parameters by name
 * @param positional whether the parameters were given positionally (kept so the JSON round-trips)
 * @since 0.1.0
 */
public record TemperatureSchedule(String name, LossArgs args, boolean positional) {

    private static final Map<String, List<String>> POSITIONAL_NAMES =
            Map.of("flsw", List.of("beta", "gamma", "eps"), "cwsm", List.of("beta"), "constant", List.of());

    /**
     * The constant schedule: the configured temperature for every row.
     *
     * @return {@code "constant"}
     */
    public static TemperatureSchedule constant() {
        return new TemperatureSchedule("constant", LossArgs.EMPTY, false);
    }

    /**
     * TextBrewer's {@code ["flsw", beta, gamma]}.
     *
     * @param beta the spread of the per-row temperatures
     * @param gamma the exponent of the dissimilarity weight
     * @return the schedule
     */
    public static TemperatureSchedule flsw(double beta, double gamma) {
        return new TemperatureSchedule("flsw", LossArgs.of("beta", beta, "gamma", gamma), true);
    }

    /**
     * TextBrewer's {@code ["cwsm", beta]}.
     *
     * @param beta the spread of the per-row temperatures
     * @return the schedule
     */
    public static TemperatureSchedule cwsm(double beta) {
        return new TemperatureSchedule("cwsm", LossArgs.of("beta", beta), true);
    }

    /**
     * Creates the scheduler from a registry.
     *
     * @param registry the registry
     * @return the scheduler
     */
    public TemperatureScheduler create(LossRegistry registry) {
        return registry.temperature(name, args);
    }

    /**
     * Reads the JSON forms; {@code "none"} and JSON null give {@code null}.
     *
     * @param e the element
     * @param field the field name for messages
     * @param registry the registry the name is checked against
     * @return the schedule, or {@code null} for none
     */
    @SuppressWarnings("unchecked")
    public static TemperatureSchedule fromJson(JsonElement e, String field, LossRegistry registry) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        TemperatureSchedule s;
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            String name = e.getAsString();
            if (name.equals("none")) {
                return null;
            }
            s = new TemperatureSchedule(name, LossArgs.EMPTY, false);
        } else if (e.isJsonArray() && !e.getAsJsonArray().isEmpty()
                && e.getAsJsonArray().get(0).isJsonPrimitive()
                && e.getAsJsonArray().get(0).getAsJsonPrimitive().isString()) {
            JsonArray a = e.getAsJsonArray();
            String name = a.get(0).getAsString();
            if (a.size() == 2 && a.get(1).isJsonObject()) {
                s = new TemperatureSchedule(name, new LossArgs((Map<String, Object>) JsonReader.toJava(a.get(1))), false);
            } else {
                List<String> names = POSITIONAL_NAMES.get(name);
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 1; i < a.size(); i++) {
                    if (names == null || i - 1 >= names.size()) {
                        throw Invalid.value(
                                field,
                                e.toString(),
                                names == null
                                        ? "scheduler '" + name + "' takes its parameters as a dict: [\"" + name
                                                + "\", {\"param\": value}]"
                                        : "scheduler '" + name + "' takes at most " + names.size()
                                                + " parameters " + names);
                    }
                    values.put(names.get(i - 1), JsonReader.asDouble(a.get(i), field + "[" + i + "]"));
                }
                s = new TemperatureSchedule(name, new LossArgs(values), true);
            }
        } else {
            throw Invalid.value(
                    field, e.toString(), "must be \"none\", \"constant\", [\"flsw\", beta, gamma] or [\"cwsm\", beta]");
        }
        s.validate(field, registry);
        return s;
    }

    /**
     * Checks that the name is registered, that the built-ins got their parameters, and that the scheduler
     * accepts the parameters.
     *
     * @param field the field name for messages
     * @param registry the registry
     */
    public void validate(String field, LossRegistry registry) {
        if (!registry.temperatureNames().contains(name)) {
            throw Invalid.unknownName(field, name, "temperature scheduler", registry.temperatureNames());
        }
        if (name.equals("flsw") && (!args.values().containsKey("beta") || !args.values().containsKey("gamma"))) {
            throw Invalid.value(field, name, "flsw needs its parameters: use [\"flsw\", beta, gamma]");
        }
        if (name.equals("cwsm") && !args.values().containsKey("beta")) {
            throw Invalid.value(field, name, "cwsm needs its parameter: use [\"cwsm\", beta]");
        }
        try {
            registry.temperature(name, args);
        } catch (IllegalArgumentException ex) {
            throw new ValidationException(field + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Writes the JSON form it was read in.
     *
     * @return a string for parameterless schedulers, else a list
     */
    public JsonElement toJson() {
        if (args.values().isEmpty()) {
            return new JsonPrimitive(name);
        }
        List<Object> list = new ArrayList<>();
        list.add(name);
        if (positional) {
            list.addAll(args.values().values());
        } else {
            list.add(args.values());
        }
        return JsonReader.toJson(list);
    }
}
