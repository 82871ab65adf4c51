package ai.distill4j.examples.multiteacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.distill4j.model.predict.ClassificationMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogitsTest {

    @Test
    void spamScoresTakeTheArgMaxOfEachRowAsThePrediction() {
        // gold:      1 1 1 0 0 0 0 0
        // predicted: 1 1 0 1 0 0 0 0  -> tp 2, fn 1, fp 1, correct 6
        float[][] logits = {{0f, 2f}, {-1f, 1f}, {3f, 1f}, {0f, 0.5f}, {1f, 0f}, {2f, 0f}, {1f, 1f}, {0f, -1f}};
        ClassificationMetrics s = SpamTask.score(logits, new long[] {1, 1, 1, 0, 0, 0, 0, 0});
        assertEquals(8, s.examples());
        assertEquals(0.75, s.accuracy(), 1e-12);
        assertEquals(List.of("ham", "spam"), s.labels());
        assertEquals(2.0 / 3, s.perClass().get(1).precision(), 1e-12);
        assertEquals(2.0 / 3, s.perClass().get(1).recall(), 1e-12);
        assertEquals(2.0 / 3, s.perClass().get(1).f1(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SpamTask.score(logits, new long[] {1, 0}));
    }

    @Test
    void theEnsembleIsTheElementwiseMeanOfTheLogits() {
        float[][] a = {{1f, 3f}, {0f, -2f}};
        float[][] b = {{3f, -1f}, {2f, 0f}};
        float[][] mean = Logits.average(List.of(a, b));
        assertArrayEquals(new float[] {2f, 1f}, mean[0]);
        assertArrayEquals(new float[] {1f, -1f}, mean[1]);
        // Each member says spam for row 0 with different confidence; the mean decides.
        assertArrayEquals(new long[] {0, 0}, Logits.argMax(mean));
        assertThrows(IllegalArgumentException.class, () -> Logits.average(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Logits.average(List.of(a, new float[][] {{1f, 2f}})));
    }

    @Test
    void argMaxTakesTheLowerClassOnTies() {
        assertArrayEquals(new long[] {0, 1}, Logits.argMax(new float[][] {{0.5f, 0.5f}, {0f, 1f}}));
    }

    @Test
    void agreementIsTheShareOfRowsWithTheSameArgMax() {
        float[][] a = {{1f, 0f}, {0f, 1f}, {2f, 1f}, {0f, 3f}};
        float[][] b = {{5f, 1f}, {1f, 0f}, {0f, 1f}, {-1f, 0f}};
        assertEquals(0.5, Logits.agreement(a, b), 1e-12);
        assertEquals(1.0, Logits.agreement(a, a), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Logits.agreement(a, new float[][] {{1f, 0f}}));
    }
}
