package ai.distill4j.distill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DoubleReprTest {

    @Test
    void writesWhatPythonReprWrites() {
        // expected strings are Python 3's repr() of the same doubles
        assertEquals("0.1", DoubleRepr.of(0.1));
        assertEquals("1.0", DoubleRepr.of(1.0));
        assertEquals("123.0", DoubleRepr.of(123.0));
        assertEquals("0.0001", DoubleRepr.of(0.0001));
        assertEquals("1e-05", DoubleRepr.of(0.00001));
        assertEquals("1.5e-07", DoubleRepr.of(1.5e-7));
        assertEquals("1e+16", DoubleRepr.of(1e16));
        assertEquals("1000000000000000.0", DoubleRepr.of(1e15));
        assertEquals("2e+23", DoubleRepr.of(2e23));
        assertEquals("1.7976931348623157e+308", DoubleRepr.of(Double.MAX_VALUE));
        assertEquals("5e-324", DoubleRepr.of(Double.MIN_VALUE));
        assertEquals("-2.5", DoubleRepr.of(-2.5));
        assertEquals("0.0", DoubleRepr.of(0.0));
        assertEquals("-0.0", DoubleRepr.of(-0.0));
        assertEquals("NaN", DoubleRepr.of(Double.NaN));
        assertEquals("Infinity", DoubleRepr.of(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", DoubleRepr.of(Double.NEGATIVE_INFINITY));
    }

    @Test
    void float32LossesWidenedToDoublePrintAsTextBrewerLogsThem() {
        // values from the golden expected-metrics.jsonl written by TextBrewer's Python
        assertEquals("9.135687828063965", DoubleRepr.of((double) 9.135687828063965f));
        assertEquals("0.6932922005653381", DoubleRepr.of((double) 0.6932922005653381f));
        assertEquals("0.0718805193901062", DoubleRepr.of((double) 0.0718805193901062f));
        assertEquals("0.30000001192092896", DoubleRepr.of((double) 0.3f));
    }

    @Test
    void everyRandomDoubleReadsBackExactlyAndIsNoLongerThanJavasOwnText() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1_500; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(d)) {
                continue;
            }
            String text = DoubleRepr.of(d);
            assertEquals(d, Double.parseDouble(text), text);
            assertTrue(significantDigits(text) <= significantDigits(Double.toString(d)),
                    text + " vs " + Double.toString(d));
        }
    }

    private static int significantDigits(String text) {
        String mantissa = text.replaceFirst("[eE].*$", "").replace("-", "").replace(".", "");
        mantissa = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, mantissa.length());
    }
}
