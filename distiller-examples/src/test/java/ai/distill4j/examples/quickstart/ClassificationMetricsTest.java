package ai.distill4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    @Test
    void metricsFollowTheConfusionMatrixWithSpamAsPositive() {
        // gold:      1 1 1 0 0 0 0 0 ; predicted: 1 1 0 1 0 0 0 0 -> tp 2, fn 1, fp 1, tn 4
        long[] gold = {1, 1, 1, 0, 0, 0, 0, 0};
        long[] predicted = {1, 1, 0, 1, 0, 0, 0, 0};
        ClassificationMetrics m = ClassificationMetrics.of(predicted, gold, 0.25);
        assertEquals(8, m.examples());
        assertEquals(6.0 / 8, m.accuracy(), 1e-12);
        assertEquals(2.0 / 3, m.precision(), 1e-12);
        assertEquals(2.0 / 3, m.recall(), 1e-12);
        assertEquals(2.0 * 2 / (2 * 2 + 1 + 1), m.f1(), 1e-12);
        assertEquals(0.25, m.loss());
    }

    @Test
    void predictingOnlyHamGivesZeroF1AndTheHamShareAsAccuracy() {
        ClassificationMetrics m = ClassificationMetrics.of(new long[] {0, 0, 0, 0}, new long[] {0, 1, 0, 0}, 1.0);
        assertEquals(0.75, m.accuracy(), 1e-12);
        assertEquals(0, m.precision());
        assertEquals(0, m.recall());
        assertEquals(0, m.f1());
    }

    @Test
    void mapUsesTheEvaluationCallbackNames() {
        ClassificationMetrics m = ClassificationMetrics.of(new long[] {1}, new long[] {1}, 0.5);
        assertEquals(List.of("accuracy", "f1", "precision", "recall", "eval_loss"), List.copyOf(m.toMap().keySet()));
        assertEquals(1.0, m.toMap().get("f1"));
    }

    @Test
    void misalignedOrEmptyInputsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new long[] {1}, new long[] {1, 0}, 0));
        assertTrue(e.getMessage().contains("predicted has 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.of(new long[0], new long[0], 0));
    }
}
