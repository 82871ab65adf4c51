package ai.distill4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianIsTheMiddleValueOrTheMeanOfTheTwoMiddleValues() {
        assertEquals(3, Stats.median(new double[] {9, 1, 3}));
        assertEquals(2.5, Stats.median(new double[] {4, 1, 2, 3}));
        double[] samples = {5, 4};
        Stats.median(samples);
        assertEquals(5, samples[0], "the samples are not reordered");
        assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
    }

    @Test
    void slopeIsTheLeastSquaresFit() {
        assertEquals(2.0, Stats.slope(new double[] {1, 2, 3, 4}, new double[] {3, 5, 7, 9}), 1e-12);
        assertEquals(0.0, Stats.slope(new double[] {1, 2, 3}, new double[] {4, 4, 4}), 1e-12);
        assertEquals(0.0, Stats.slope(new double[] {1}, new double[] {4}));
        assertThrows(IllegalArgumentException.class, () -> Stats.slope(new double[] {1}, new double[] {1, 2}));
    }
}
