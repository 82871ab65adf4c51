package ai.distill4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictionsTest {

    @Test
    void evaluationMetricsScoreSpamAsThePositiveClassAndCarryTheLoss() {
        // gold:      1 1 1 0 0 0 0 0 ; predicted: 1 1 0 1 0 0 0 0 -> tp 2, fn 1, fp 1, tn 4
        Predictions p = new Predictions(new long[] {1, 1, 0, 1, 0, 0, 0, 0}, new long[] {1, 1, 1, 0, 0, 0, 0, 0},
                0.25);
        Map<String, Double> m = p.evaluationMetrics();
        assertEquals(List.of("accuracy", "f1", "precision", "recall", "eval_loss"), List.copyOf(m.keySet()));
        assertEquals(6.0 / 8, m.get("accuracy"), 1e-12);
        assertEquals(2.0 / 3, m.get("precision"), 1e-12);
        assertEquals(2.0 / 3, m.get("recall"), 1e-12);
        assertEquals(2.0 * 2 / (2 * 2 + 1 + 1), m.get("f1"), 1e-12);
        assertEquals(0.25, m.get("eval_loss"));
        assertEquals(8, p.metrics().examples());
        assertEquals(List.of("ham", "spam"), p.metrics().labels());
    }

    @Test
    void predictingOnlyHamGivesZeroF1() {
        Map<String, Double> m = new Predictions(new long[] {0, 0, 0, 0}, new long[] {0, 1, 0, 0}, 1.0)
                .evaluationMetrics();
        assertEquals(0.75, m.get("accuracy"), 1e-12);
        assertEquals(0.0, m.get("precision"));
        assertEquals(0.0, m.get("recall"));
        assertEquals(0.0, m.get("f1"));
    }

    @Test
    void misalignedOrEmptyPredictionsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Predictions(new long[] {1}, new long[] {1, 0}, 0));
        assertTrue(e.getMessage().contains("predicted has 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Predictions(new long[0], new long[0], 0).metrics());
    }

    @Test
    void disagreementsCountDifferingPredictions() {
        Predictions a = new Predictions(new long[] {0, 1, 1}, new long[] {0, 1, 0}, 0.5);
        Predictions b = new Predictions(new long[] {1, 1, 0}, new long[] {0, 1, 0}, 0.5);
        assertEquals(2, a.disagreements(b));
        assertEquals(0, a.disagreements(a));
    }
}
