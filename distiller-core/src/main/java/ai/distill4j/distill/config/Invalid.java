package ai.distill4j.distill.config;

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
    public static IllegalArgumentException value(String field, Object value, String rule) {
        return new IllegalArgumentException(field + " = " + render(value) + ": " + rule);
    }

    /**
     * Checks a condition about a field.
     *
     * @param ok whether the value is acceptable
     * @param field the field name
     * @param value the value
     * @param rule the rule, for the message
     * @throws IllegalArgumentException when {@code ok} is false
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
            return "'" + value + "'";
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(value);
    }
}
