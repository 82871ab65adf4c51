package ai.distill4j.loss;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named, typed arguments of a loss or scheduler ({@code temperature}, {@code window}, {@code relation_heads}, ...),
 * as they appear in a config's {@code args} object. Immutable.
 *
 * @param values the raw values: numbers, booleans or strings
 * @since 0.1.0
 */
public record LossArgs(Map<String, Object> values) {

    /** No arguments. */
    public static final LossArgs EMPTY = new LossArgs(Map.of());

    /**
     * Copies the values.
     *
     * @param values the raw values
     */
    public LossArgs {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Builds arguments from alternating names and values.
     *
     * @param namesAndValues {@code name1, value1, name2, value2, ...}
     * @return the arguments
     */
    public static LossArgs of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("LossArgs.of needs name/value pairs, got an odd count");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new LossArgs(map);
    }

    /**
     * Returns a number argument.
     *
     * @param name the argument name
     * @param defaultValue the value when absent
     * @return the value
     * @throws IllegalArgumentException when present but not a number
     */
    public double getDouble(String name, double defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("loss argument '" + name + "' must be a number, got '" + v + "'");
    }

    /**
     * Returns an integer argument.
     *
     * @param name the argument name
     * @param defaultValue the value when absent
     * @return the value
     * @throws IllegalArgumentException when present but not an integer
     */
    public int getInt(String name, int defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new IllegalArgumentException("loss argument '" + name + "' must be an integer, got '" + v + "'");
    }

    /**
     * Returns a boolean argument.
     *
     * @param name the argument name
     * @param defaultValue the value when absent
     * @return the value
     * @throws IllegalArgumentException when present but not a boolean
     */
    public boolean getBoolean(String name, boolean defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("loss argument '" + name + "' must be true or false, got '" + v + "'");
    }

    /**
     * Returns a string argument.
     *
     * @param name the argument name
     * @param defaultValue the value when absent
     * @return the value
     */
    public String getString(String name, String defaultValue) {
        Object v = values.get(name);
        return v == null ? defaultValue : v.toString();
    }

    /**
     * Rejects argument names a loss does not know.
     *
     * @param lossName the registry name, for the message
     * @param known the names the loss accepts
     * @throws IllegalArgumentException naming the first unknown argument and the accepted ones
     */
    public void requireOnly(String lossName, Set<String> known) {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(
                        "loss '" + lossName + "' has no argument '" + k + "'; it accepts " + new java.util.TreeSet<>(known));
            }
        }
    }
}
