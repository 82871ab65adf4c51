package ai.distill4j.distill.internal;

import ai.distill4j.ValidationException;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Builds the one-line messages of configuration errors: the field, the value and the rule it breaks.
 *
 * @since 0.1.0
 */
public final class Invalid {

    private Invalid() {}

    /**
     * Creates the exception for a field whose value breaks a rule.
     *
     * @param field the field, as written in JSON ({@code distillation_config.temperature})
     * @param value the rejected value
     * @param rule what the value must satisfy, phrased for the user
     * @return an exception whose message reads {@code field = value: rule}
     */
    public static ValidationException value(String field, Object value, String rule) {
        return new ValidationException(field + " = " + render(value) + ": " + rule);
    }

    /**
     * Creates the exception for a name that is not one of the accepted ones, listing them and suggesting the
     * closest ({@link DidYouMean}).
     *
     * @param field the field, as written in JSON
     * @param value the rejected name
     * @param what what the name is, for the message ({@code "KD loss"})
     * @param known the accepted names
     * @return an exception whose message reads {@code field = 'value': unknown what; known names are [...]; did you
     *     mean 'x'?}
     */
    public static ValidationException unknownName(String field, String value, String what, Collection<String> known) {
        return new ValidationException(field + " = " + render(value) + ": unknown " + what + "; known names are "
                + new TreeSet<>(known) + DidYouMean.hint(value, known));
    }

    /**
     * Checks a condition about a field.
     *
     * @param ok whether the value is acceptable
     * @param field the field name
     * @param value the value
     * @param rule the rule, for the message
     * @throws ValidationException when {@code ok} is false
     */
    public static void check(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw value(field, value, rule);
        }
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "'" + escapeControls(value.toString()) + "'";
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return String.valueOf(d.longValue());
        }
        return escapeControls(String.valueOf(value));
    }

    /** Keeps a message on one line: control characters are written as Java escapes. */
    private static String escapeControls(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                if (b == null) {
                    b = new StringBuilder(s.substring(0, i));
                }
                b.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", (int) c);
                });
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
