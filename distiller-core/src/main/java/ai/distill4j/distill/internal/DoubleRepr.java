package ai.distill4j.distill.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a {@code double} as the shortest decimal that reads back to exactly the same value, laid out the way
 * Python's {@code repr(float)} (and so {@code json.dumps}) lays it out.
 *
 * <p>The digits are the fewest significant digits whose decimal value parses back (by {@link Double#parseDouble}) to
 * the same double; when two candidates of that length both do, the one nearer the exact binary value wins. The layout
 * follows Python: positional notation when the decimal exponent is in {@code [-4, 16)}, with a trailing {@code .0} for
 * whole numbers ({@code 123.0}, {@code 0.0001}); scientific notation otherwise, with a signed, at least two-digit
 * exponent ({@code 1e-05}, {@code 2.5e+16}). Non-finite values are written as Python's JSON encoder writes them:
 * {@code NaN}, {@code Infinity}, {@code -Infinity}.
 *
 * <p>So a float32 loss widened to double prints as {@code 0.6932922005653381}, byte for byte what TextBrewer's Python
 * logs for the same value. (Java 17's {@link Double#toString} is not always the shortest: it prints {@code 2.0E23} as
 * {@code 2.0000000000000002E23}.)
 *
 * @since 0.1.0
 */
public final class DoubleRepr {

    private DoubleRepr() {}

    /**
     * Returns the shortest round-trip text of a value, in Python's {@code repr} layout.
     *
     * @param value any double, including NaN, infinities and negative zero
     * @return the text, e.g. {@code "0.1"}, {@code "1e-05"}, {@code "-0.0"}, {@code "NaN"}
     */
    public static String of(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0.0) {
            return (Double.doubleToRawLongBits(value) < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestDecimal(Math.abs(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int pointPosition = digits.length() - shortest.scale(); // value = 0.d1d2... x 10^pointPosition
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        if (pointPosition <= -4 || pointPosition > 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = pointPosition - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        } else if (pointPosition <= 0) {
            out.append("0.");
            out.append("0".repeat(-pointPosition));
            out.append(digits);
        } else if (pointPosition >= digits.length()) {
            out.append(digits);
            out.append("0".repeat(pointPosition - digits.length()));
            out.append(".0");
        } else {
            out.append(digits, 0, pointPosition).append('.').append(digits, pointPosition, digits.length());
        }
        return out.toString();
    }

    private static BigDecimal shortestDecimal(double positive) {
        BigDecimal exact = new BigDecimal(positive);
        // If some p-digit decimal reads back as the value, so does some (p+1)-digit one: binary search the fewest.
        int low = 1;
        int high = 17;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (candidate(exact, positive, mid) != null) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        BigDecimal best = candidate(exact, positive, low);
        // 17 significant digits always identify a double uniquely.
        return best != null ? best : exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    /** The {@code precision}-digit decimal nearest the exact value that reads back as it, or null if none does. */
    private static BigDecimal candidate(BigDecimal exact, double positive, int precision) {
        BigDecimal below = exact.round(new MathContext(precision, RoundingMode.FLOOR));
        BigDecimal above = exact.round(new MathContext(precision, RoundingMode.CEILING));
        boolean belowOk = readsBackAs(below, positive);
        boolean aboveOk = readsBackAs(above, positive);
        if (belowOk && aboveOk) {
            int cmp = exact.subtract(below).compareTo(above.subtract(exact));
            if (cmp != 0) {
                return cmp < 0 ? below : above;
            }
            return below.unscaledValue().testBit(0) ? above : below;
        }
        return belowOk ? below : aboveOk ? above : null;
    }

    private static boolean readsBackAs(BigDecimal candidate, double value) {
        return Double.parseDouble(candidate.toString()) == value;
    }
}
