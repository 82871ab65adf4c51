package ai.distill4j.distill.internal;

import ai.distill4j.ValidationException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the fields of one JSON object with messages that name the field: typed getters with defaults, and a
 * check that rejects keys the object does not know (a typo in a config fails loudly instead of being ignored).
 *
 * @since 0.1.0
 */
public final class JsonReader {

    private final JsonObject object;
    private final String prefix;

    /**
     * Wraps an object.
     *
     * @param object the JSON object
     * @param prefix the path of the object for messages ({@code "training_config"}), or empty
     */
    public JsonReader(JsonObject object, String prefix) {
        this.object = object;
        this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix + ".";
    }

    /**
     * Returns the full name of a key, for messages.
     *
     * @param key the key
     * @return {@code prefix.key}
     */
    public String field(String key) {
        return prefix + key;
    }

    /**
     * Rejects keys outside a set.
     *
     * @param known the accepted keys
     * @throws ValidationException naming the first unknown key, the closest known one and the accepted ones
     */
    public void requireOnly(Set<String> known) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw new ValidationException(field(key) + " is not a known field"
                        + DidYouMean.closest(key, known).map(s -> "; did you mean '" + s + "'?").orElse("")
                        + " (known fields: " + new TreeSet<>(known) + ")");
            }
        }
    }

    /**
     * Tells whether a key is present and not JSON null.
     *
     * @param key the key
     * @return whether a value is there
     */
    public boolean has(String key) {
        return object.has(key) && !object.get(key).isJsonNull();
    }

    /**
     * Returns the raw element of a key.
     *
     * @param key the key
     * @return the element or {@code null}
     */
    public JsonElement raw(String key) {
        return has(key) ? object.get(key) : null;
    }

    /**
     * Reads a number.
     *
     * @param key the key
     * @param defaultValue the value when absent
     * @return the number
     */
    public double getDouble(String key, double defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        return asDouble(object.get(key), field(key));
    }

    /**
     * Reads an integer (a JSON number without a fraction).
     *
     * @param key the key
     * @param defaultValue the value when absent
     * @return the integer
     */
    public int getInt(String key, int defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        return asInt(object.get(key), field(key));
    }

    /**
     * Reads an optional integer.
     *
     * @param key the key
     * @return the integer or {@code null} when absent
     */
    public Integer getIntOrNull(String key) {
        return has(key) ? asInt(object.get(key), field(key)) : null;
    }

    /**
     * Reads a boolean.
     *
     * @param key the key
     * @param defaultValue the value when absent
     * @return the boolean
     */
    public boolean getBoolean(String key, boolean defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonElement e = object.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        throw Invalid.value(field(key), e, "must be true or false");
    }

    /**
     * Reads a string.
     *
     * @param key the key
     * @param defaultValue the value when absent
     * @return the string
     */
    public String getString(String key, String defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonElement e = object.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        throw Invalid.value(field(key), e, "must be a string");
    }

    /**
     * Reads an object.
     *
     * @param key the key
     * @return a reader of the nested object, or {@code null} when absent
     */
    public JsonReader getObject(String key) {
        if (!has(key)) {
            return null;
        }
        JsonElement e = object.get(key);
        if (!e.isJsonObject()) {
            throw Invalid.value(field(key), e, "must be a JSON object");
        }
        return new JsonReader(e.getAsJsonObject(), field(key));
    }

    /**
     * Reads an array.
     *
     * @param key the key
     * @return the array or {@code null} when absent
     */
    public JsonArray getArray(String key) {
        if (!has(key)) {
            return null;
        }
        JsonElement e = object.get(key);
        if (!e.isJsonArray()) {
            throw Invalid.value(field(key), e, "must be a JSON array");
        }
        return e.getAsJsonArray();
    }

    /**
     * Returns the wrapped object.
     *
     * @return the object
     */
    public JsonObject object() {
        return object;
    }

    /**
     * Converts an element to a number.
     *
     * @param e the element
     * @param field its name, for the message
     * @return the number
     */
    public static double asDouble(JsonElement e, String field) {
        if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            return e.getAsDouble();
        }
        throw Invalid.value(field, e, "must be a number");
    }

    /**
     * Converts an element to an integer.
     *
     * @param e the element
     * @param field its name, for the message
     * @return the integer
     */
    public static int asInt(JsonElement e, String field) {
        double d = asDouble(e, field);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw Invalid.value(field, e, "must be an integer");
        }
        return (int) d;
    }

    /**
     * Converts a JSON value to plain Java: numbers to {@code Double} (or {@code Long} when integral), strings,
     * booleans, lists and maps.
     *
     * @param e the element
     * @return the Java value
     */
    public static Object toJava(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return p.getAsBoolean();
            }
            if (p.isNumber()) {
                double d = p.getAsDouble();
                if (d == Math.rint(d) && Math.abs(d) < 1e15 && !p.getAsString().contains(".")) {
                    return (long) d;
                }
                return d;
            }
            return p.getAsString();
        }
        if (e.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) {
                list.add(toJava(x));
            }
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> en : e.getAsJsonObject().entrySet()) {
            map.put(en.getKey(), toJava(en.getValue()));
        }
        return map;
    }

    /**
     * Converts plain Java (as produced by {@link #toJava}) back to JSON.
     *
     * @param value the value
     * @return the element
     */
    public static JsonElement toJson(Object value) {
        if (value == null) {
            return com.google.gson.JsonNull.INSTANCE;
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof CharSequence s) {
            return new JsonPrimitive(s.toString());
        }
        if (value instanceof List<?> list) {
            JsonArray a = new JsonArray();
            for (Object x : list) {
                a.add(toJson(x));
            }
            return a;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject o = new JsonObject();
            for (Map.Entry<?, ?> en : map.entrySet()) {
                o.add(String.valueOf(en.getKey()), toJson(en.getValue()));
            }
            return o;
        }
        return new JsonPrimitive(value.toString());
    }
}
