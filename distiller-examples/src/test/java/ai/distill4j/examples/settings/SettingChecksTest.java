package ai.distill4j.examples.settings;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SettingChecksTest {

    private static String message(Executable check) {
        return assertThrows(IllegalArgumentException.class, check).getMessage();
    }

    @Test
    void acceptedValuesPassThrough() {
        assertEquals(8, SettingChecks.atLeast("max_length", 8, 8));
        assertEquals(1, SettingChecks.atLeastOne("epochs", 1));
        assertEquals(0, SettingChecks.limit("test_limit", 0));
        assertEquals(1e-4, SettingChecks.positiveFinite("learning_rate", 1e-4));
        assertEquals(0.0, SettingChecks.nonNegativeFinite("hard_label_weight", 0));
        assertDoesNotThrow(() -> SettingChecks.fillsOneBatch("student_texts", 16, 16));
    }

    @Test
    void rejectedValuesNameTheFieldTheValueAndTheRule() {
        assertEquals("max_length = 7: must be >= 8", message(() -> SettingChecks.atLeast("max_length", 7, 8)));
        assertEquals("student_texts = 0: must be >= 1", message(() -> SettingChecks.atLeastOne("student_texts", 0)));
        assertEquals("test_limit = -1: must be >= 0 (0 = all)", message(() -> SettingChecks.limit("test_limit", -1)));
        assertEquals("student_texts = 15: must be >= batch_size = 16",
                message(() -> SettingChecks.fillsOneBatch("student_texts", 15, 16)));
    }

    @Test
    void numbersMustBeFinite() {
        assertEquals("temperature = 0.0: must be finite and > 0",
                message(() -> SettingChecks.positiveFinite("temperature", 0)));
        assertEquals("temperature = NaN: must be finite and > 0",
                message(() -> SettingChecks.positiveFinite("temperature", Double.NaN)));
        assertEquals("temperature = Infinity: must be finite and > 0",
                message(() -> SettingChecks.positiveFinite("temperature", Double.POSITIVE_INFINITY)));
        assertEquals("sentence_weight = -0.5: must be finite and >= 0",
                message(() -> SettingChecks.nonNegativeFinite("sentence_weight", -0.5)));
        assertEquals("sentence_weight = NaN: must be finite and >= 0",
                message(() -> SettingChecks.nonNegativeFinite("sentence_weight", Double.NaN)));
        assertEquals("sentence_weight = Infinity: must be finite and >= 0",
                message(() -> SettingChecks.nonNegativeFinite("sentence_weight", Double.POSITIVE_INFINITY)));
    }
}
