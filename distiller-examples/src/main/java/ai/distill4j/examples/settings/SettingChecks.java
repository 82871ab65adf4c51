package ai.distill4j.examples.settings;

/**
 * The validation rules the examples' settings builders share. Each returns the value it accepts and otherwise
 * throws an {@link IllegalArgumentException} whose message reads {@code field = value: rule}, e.g.
 * {@code student_texts = 0: must be >= 1}.
 *
 * @since 0.1.0
 */
public final class SettingChecks {

    private SettingChecks() {}

    /**
     * Requires a whole number of at least {@code min}.
     *
     * @param field the setting's name, as the reports write it
     * @param value the value
     * @param min the smallest accepted value
     * @return {@code value}
     * @throws IllegalArgumentException {@code field = value: must be >= min}
     */
    public static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " = " + value + ": must be >= " + min);
        }
        return value;
    }

    /**
     * Requires a count of at least one.
     *
     * @param field the setting's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException {@code field = value: must be >= 1}
     */
    public static int atLeastOne(String field, int value) {
        return atLeast(field, value, 1);
    }

    /**
     * Requires a limit that is 0 (no limit) or positive.
     *
     * @param field the setting's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException {@code field = value: must be >= 0 (0 = all)}
     */
    public static int limit(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " = " + value + ": must be >= 0 (0 = all)");
        }
        return value;
    }

    /**
     * Requires a finite number above 0 (a learning rate, a temperature).
     *
     * @param field the setting's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException {@code field = value: must be finite and > 0}
     */
    public static double positiveFinite(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " = " + value + ": must be finite and > 0");
        }
        return value;
    }

    /**
     * Requires a finite number of at least 0 (a loss weight).
     *
     * @param field the setting's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException {@code field = value: must be finite and >= 0}
     */
    public static double nonNegativeFinite(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " = " + value + ": must be finite and >= 0");
        }
        return value;
    }

    /**
     * Requires enough texts for one batch.
     *
     * @param field the setting's name (the number of texts)
     * @param texts the number of texts
     * @param batchSize the batch size
     * @throws IllegalArgumentException {@code field = texts: must be >= batch_size = batchSize}
     */
    public static void fillsOneBatch(String field, int texts, int batchSize) {
        if (texts < batchSize) {
            throw new IllegalArgumentException(field + " = " + texts + ": must be >= batch_size = " + batchSize);
        }
    }
}
