package ai.distill4j.distill.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text of plain Java values, written the way Python's {@code json.dumps} writes it and read back into plain
 * Java values.
 *
 * <p>Writing accepts {@link Map} (keys are strings, insertion order kept), {@link List}, {@link String},
 * {@link Boolean}, {@code null}, integral numbers ({@link Byte}, {@link Short}, {@link Integer}, {@link Long},
 * {@link BigInteger}), {@link Float} and {@link Double} (written by {@link DoubleRepr}: shortest round trip) and
 * {@link BigDecimal}. Separators are Python's defaults ({@code ", "} and {@code ": "}); non-ASCII text is written as
 * is (UTF-8 files). NaN and the infinities are written as {@code NaN}, {@code Infinity} and {@code -Infinity}, as
 * Python does; strict JSON parsers reject those, Python's {@code json}, pandas and {@link #parse} accept them.
 *
 * <p>Reading gives {@link LinkedHashMap} for objects, {@link ArrayList} for arrays (both unmodifiable), {@link String},
 * {@link Boolean}, {@code null}, {@link Long} for integers that fit ({@link BigInteger} otherwise) and {@link Double}
 * for every number with a fraction or an exponent.
 *
 * @since 0.1.0
 */
public final class JsonText {

    private JsonText() {}

    /**
     * Writes a value as one line of JSON text.
     *
     * @param value a map, list, string, number, boolean or null, nested freely
     * @return the JSON text, without a line break
     * @throws IllegalArgumentException if the value (or a nested one) has another type or a map key is not a string
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value, "value");
        return out.toString();
    }

    /**
     * Checks that a value can be written by {@link #write}, without writing it.
     *
     * @param value the value to check
     * @param where a name for the value, used in the exception message
     * @throws IllegalArgumentException if the value (or a nested one) has an unsupported type
     */
    public static void checkWritable(Object value, String where) {
        append(new StringBuilder(), value, where);
    }

    /**
     * Appends the JSON text of a value.
     *
     * @param out where to append
     * @param value a map, list, string, number, boolean or null
     * @throws IllegalArgumentException if the value has an unsupported type
     */
    public static void append(StringBuilder out, Object value) {
        append(out, value, "value");
    }

    /**
     * Appends a string as a JSON string literal, quotes included.
     *
     * @param out where to append
     * @param text the string
     */
    public static void appendString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void append(StringBuilder out, Object value, String where) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue() ? "true" : "false");
        } else if (value instanceof Double d) {
            out.append(DoubleRepr.of(d));
        } else if (value instanceof Float f) {
            out.append(DoubleRepr.of(f.doubleValue()));
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal b) {
            out.append(b.toString());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(where + ": JSON object keys must be strings, got "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
                }
                if (!first) {
                    out.append(", ");
                }
                first = false;
                appendString(out, key);
                out.append(": ");
                append(out, e.getValue(), where + "." + key);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                append(out, list.get(i), where + "[" + i + "]");
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(where + ": cannot write a " + value.getClass().getName()
                    + " as JSON; use a Map, List, String, Number, Boolean or null");
        }
    }

    /**
     * Parses one JSON value (object, array, string, number, literal) that makes up the whole text.
     *
     * @param text the JSON text; surrounding white space is allowed
     * @return the value as plain Java objects (see the class documentation)
     * @throws IllegalArgumentException if the text is not one well-formed JSON value; the message gives the offset
     */
    public static Object parse(String text) {
        Parser parser = new Parser(text);
        parser.skipSpace();
        Object value = parser.value();
        parser.skipSpace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the JSON value");
        }
        return value;
    }

    /**
     * Parses a JSON object.
     *
     * @param text the JSON text of one object
     * @return its members in file order (unmodifiable)
     * @throws IllegalArgumentException if the text is not one well-formed JSON object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, got: "
                    + (text.length() > 60 ? text.substring(0, 60) + "..." : text));
        }
        return (Map<String, Object>) value;
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException("malformed JSON at offset " + pos + ": " + message);
        }

        void skipSpace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value() {
            if (pos >= text.length()) {
                throw error("unexpected end of text");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                case 'N':
                    return literal("NaN", Double.NaN);
                case 'I':
                    return literal("Infinity", Double.POSITIVE_INFINITY);
                default:
                    if (c == '-' && text.startsWith("-Infinity", pos)) {
                        return literal("-Infinity", Double.NEGATIVE_INFINITY);
                    }
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected character '" + c + "'");
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("expected " + word);
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object() {
            pos++; // {
            Map<String, Object> members = new LinkedHashMap<>();
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return Collections.unmodifiableMap(members);
            }
            while (true) {
                skipSpace();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw error("expected a string key");
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                if (members.containsKey(key)) {
                    throw error("duplicate key \"" + key + "\"");
                }
                members.put(key, value());
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return Collections.unmodifiableMap(members);
            }
        }

        private List<Object> array() {
            pos++; // [
            List<Object> items = new ArrayList<>();
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return Collections.unmodifiableList(items);
            }
            while (true) {
                skipSpace();
                items.add(value());
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return Collections.unmodifiableList(items);
            }
        }

        private void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private String string() {
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    if (c < 0x20) {
                        throw error("control character in string");
                    }
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw error("unterminated escape");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            int start = pos;
            if (text.charAt(pos) == '-') {
                pos++;
            }
            boolean integral = true;
            int digits = 0;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c >= '0' && c <= '9') {
                    digits++;
                } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                    integral = false;
                } else {
                    break;
                }
                pos++;
            }
            String literal = text.substring(start, pos);
            if (digits == 0) {
                throw error("bad number '" + literal + "'");
            }
            try {
                if (integral) {
                    BigInteger big = new BigInteger(literal);
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                return Double.parseDouble(literal);
            } catch (NumberFormatException ex) {
                pos = start;
                throw error("bad number '" + literal + "'");
            }
        }
    }
}
