package ai.distill4j.distill.log;

import ai.distill4j.distill.internal.DoubleRepr;
import ai.distill4j.distill.internal.JsonText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of a log row: integer and number fields read back from a parsed row, and the trailing named numbers
 * (loss terms, metrics) written after the fixed leading fields.
 */
final class RowFields {

    private RowFields() {}

    /**
     * Appends {@code , "name": value} for every entry, in iteration order, numbers in shortest round-trip form.
     *
     * @param row the row being written
     * @param values the named numbers
     * @param reserved names the leading fields already use
     * @param what what a value is, for messages ({@code metric}, {@code loss term})
     * @param fileName the log's conventional file name, for messages
     * @throws IllegalArgumentException when a name is reserved
     */
    static void appendNumbers(StringBuilder row, Map<String, Double> values, Set<String> reserved, String what,
            String fileName) {
        for (Map.Entry<String, Double> value : values.entrySet()) {
            String name = Objects.requireNonNull(value.getKey(), what + " name");
            if (reserved.contains(name)) {
                throw new IllegalArgumentException(what + " name '" + name + "' is reserved in " + fileName);
            }
            Double number = Objects.requireNonNull(value.getValue(), () -> "value of " + what + " " + name);
            row.append(", ");
            JsonText.appendString(row, name);
            row.append(": ").append(DoubleRepr.of(number));
        }
    }

    /**
     * Returns every field of a parsed row except the reserved ones, as numbers, in file order.
     *
     * @param row the parsed row
     * @param reserved the leading fields to skip
     * @return name to value
     * @throws IllegalArgumentException when a field is not a number
     */
    static Map<String, Double> numbersExcept(Map<String, Object> row, Set<String> reserved) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String key : row.keySet()) {
            if (!reserved.contains(key)) {
                out.put(key, number(row, key));
            }
        }
        return out;
    }

    /**
     * Returns an integer field.
     *
     * @param row the parsed row
     * @param key the field
     * @return its value
     * @throws IllegalArgumentException when the field is missing or not an integer
     */
    static long integer(Map<String, Object> row, String key) {
        Object value = row.get(key);
        if (!(value instanceof Long l)) {
            throw new IllegalArgumentException("key '" + key + "' must be an integer, got " + value);
        }
        return l;
    }

    /**
     * Returns a number field.
     *
     * @param row the parsed row
     * @param key the field
     * @return its value
     * @throws IllegalArgumentException when the field is missing or not a number
     */
    static double number(Map<String, Object> row, String key) {
        Object value = row.get(key);
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("key '" + key + "' must be a number, got " + value);
        }
        return n.doubleValue();
    }
}
