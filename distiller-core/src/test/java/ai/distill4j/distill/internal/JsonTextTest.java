package ai.distill4j.distill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void writesWithPythonSeparatorsAndKeepsKeyOrder() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("z", 1);
        value.put("a", List.of(0.5, true, "x\"y"));
        value.put("n", null);
        assertEquals("{\"z\": 1, \"a\": [0.5, true, \"x\\\"y\"], \"n\": null}", JsonText.write(value));
    }

    @Test
    void readsBackIntegersAsLongAndOtherNumbersAsDouble() {
        Map<String, Object> o = JsonText.parseObject("{\"i\": 12, \"big\": 123456789012345678901, \"d\": 1e-05,"
                + " \"nan\": NaN, \"inf\": -Infinity, \"s\": \"\\u00e9\\n\", \"l\": [], \"o\": {}}");
        assertEquals(12L, o.get("i"));
        assertEquals(new java.math.BigInteger("123456789012345678901"), o.get("big"));
        assertEquals(1e-05, o.get("d"));
        assertTrue(Double.isNaN((Double) o.get("nan")));
        assertEquals(Double.NEGATIVE_INFINITY, o.get("inf"));
        assertEquals("\u00e9\n", o.get("s"));
        assertEquals(List.of(), o.get("l"));
        assertEquals(Map.of(), o.get("o"));
        assertEquals(List.of("i", "big", "d", "nan", "inf", "s", "l", "o"), List.copyOf(o.keySet()));
    }

    @Test
    void roundTripsEveryWritableValue() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("tab\there", List.of(1L, -2.25, Map.of("k", "v")));
        value.put("control", "\u0001");
        assertEquals(value, JsonText.parse(JsonText.write(value)));
    }

    @Test
    void rejectsMalformedTextNamingTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonText.parse("{\"a\": 1,}"));
        assertTrue(e.getMessage().contains("offset 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"a\": 1} x"));
        assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"a\": 1, \"a\": 2}"));
    }

    @Test
    void refusesValuesThatAreNotJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonText.checkWritable(Map.of("when", new Object()), "extra"));
        assertTrue(e.getMessage().startsWith("extra.when"), e.getMessage());
    }
}
