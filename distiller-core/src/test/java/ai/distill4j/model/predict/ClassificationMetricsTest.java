package ai.distill4j.model.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    private static final double EPS = 1e-12;

    @Test
    void threeClassScoresMatchHandComputedValuesAndANeverPredictedClassScoresZero() {
        // gold:      a a a b b c c c
        // predicted: a a b b b a a b   -> class c is never predicted
        int[] gold = {0, 0, 0, 1, 1, 2, 2, 2};
        int[] pred = {0, 0, 1, 1, 1, 0, 0, 1};
        ClassificationMetrics m = ClassificationMetrics.compute(gold, pred, List.of("a", "b", "c"));

        assertEquals(8, m.examples());
        assertEquals(4, m.correct());
        assertEquals(0.5, m.accuracy(), EPS);
        assertArrayEquals(new long[] {2, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new long[] {0, 2, 0}, m.confusion()[1]);
        assertArrayEquals(new long[] {2, 1, 0}, m.confusion()[2]);

        // a: tp 2, predicted 4, support 3 -> P 1/2, R 2/3, F1 4/7
        ClassMetrics a = m.perClass().get(0);
        assertEquals(0.5, a.precision(), EPS);
        assertEquals(2.0 / 3, a.recall(), EPS);
        assertEquals(4.0 / 7, a.f1(), EPS);
        assertEquals(3, a.support());
        assertEquals(4, a.predicted());
        // b: tp 2, predicted 4, support 2 -> P 1/2, R 1, F1 2/3
        ClassMetrics b = m.perClass().get(1);
        assertEquals(0.5, b.precision(), EPS);
        assertEquals(1.0, b.recall(), EPS);
        assertEquals(2.0 / 3, b.f1(), EPS);
        // c: never predicted -> P 0 (not NaN), R 0, F1 0
        ClassMetrics c = m.perClass().get(2);
        assertEquals(0.0, c.precision());
        assertEquals(0.0, c.recall());
        assertEquals(0.0, c.f1());
        assertEquals(3, c.support());
        assertEquals(0, c.predicted());

        assertEquals((4.0 / 7 + 2.0 / 3 + 0) / 3, m.macroF1(), EPS);
        assertEquals("c", c.label());
    }

    @Test
    void aClassAbsentFromDataAndPredictionsDoesNotCountInMacroF1() {
        int[] gold = {0, 1, 1, 0};
        int[] pred = {0, 1, 0, 0};
        ClassificationMetrics m = ClassificationMetrics.compute(gold, pred, List.of("ham", "spam", "unused"));
        // ham: tp 2, predicted 3, support 2 -> P 2/3, R 1, F1 0.8; spam: tp 1, predicted 1, support 2 -> F1 2/3
        assertEquals(0.8, m.perClass().get(0).f1(), EPS);
        assertEquals(2.0 / 3, m.perClass().get(1).f1(), EPS);
        assertEquals(0.0, m.perClass().get(2).f1());
        assertEquals((0.8 + 2.0 / 3) / 2, m.macroF1(), EPS);
        assertEquals(0.75, m.accuracy(), EPS);
        assertEquals(1, m.count(1, 0), "one spam predicted as ham");
    }

    @Test
    void perfectPredictionsScoreOne() {
        int[] labels = {1, 0, 1, 1};
        ClassificationMetrics m = ClassificationMetrics.compute(labels, labels.clone(), List.of("ham", "spam"));
        assertEquals(1.0, m.accuracy());
        assertEquals(1.0, m.macroF1());
        m.perClass().forEach(c -> assertEquals(1.0, c.f1()));
    }

    @Test
    void longClassIdsScoreLikeIntOnesWithSpamTheTwoClassCase() {
        // gold:      1 1 1 0 0 0 0 0 ; predicted: 1 1 0 1 0 0 0 0 -> spam: tp 2, fn 1, fp 1; 6 correct
        long[] gold = {1, 1, 1, 0, 0, 0, 0, 0};
        long[] pred = {1, 1, 0, 1, 0, 0, 0, 0};
        ClassificationMetrics m = ClassificationMetrics.compute(gold, pred, List.of("ham", "spam"));
        assertEquals(8, m.examples());
        assertEquals(6.0 / 8, m.accuracy(), EPS);
        ClassMetrics spam = m.perClass().get(1);
        assertEquals(2.0 / 3, spam.precision(), EPS);
        assertEquals(2.0 / 3, spam.recall(), EPS);
        assertEquals(2.0 * 2 / (2 * 2 + 1 + 1), spam.f1(), EPS);
        assertEquals(m, ClassificationMetrics.compute(new int[] {1, 1, 1, 0, 0, 0, 0, 0},
                new int[] {1, 1, 0, 1, 0, 0, 0, 0}, List.of("ham", "spam")));
    }

    @Test
    void f1IsComputedFromTheCountsExactly() {
        // spam: tp 1, fp 2, fn 3 -> F1 = 2 / (4 + 3) with no rounding of P and R first
        long[] gold = {1, 1, 1, 1, 0, 0, 0};
        long[] pred = {1, 0, 0, 0, 1, 1, 0};
        ClassMetrics spam = ClassificationMetrics.compute(gold, pred, List.of("ham", "spam")).perClass().get(1);
        assertEquals(2.0 / 7, spam.f1());
    }

    @Test
    void predictingOnlyOneClassGivesTheOtherZeroScoresAndTheMajorityShareAsAccuracy() {
        ClassificationMetrics m = ClassificationMetrics.compute(new long[] {0, 1, 0, 0}, new long[] {0, 0, 0, 0},
                List.of("ham", "spam"));
        assertEquals(0.75, m.accuracy(), EPS);
        assertEquals(0.0, m.perClass().get(1).precision());
        assertEquals(0.0, m.perClass().get(1).recall());
        assertEquals(0.0, m.perClass().get(1).f1());
    }

    @Test
    void metricsAreEqualWhenLabelsAndConfusionAre() {
        List<String> labels = List.of("ham", "spam");
        ClassificationMetrics a = ClassificationMetrics.compute(new int[] {0, 1, 1}, new int[] {0, 1, 0}, labels);
        ClassificationMetrics sameCounts = ClassificationMetrics.compute(new int[] {1, 0, 1}, new int[] {0, 0, 1},
                labels);
        assertEquals(a, sameCounts);
        assertEquals(a.hashCode(), sameCounts.hashCode());
        assertNotEquals(a, ClassificationMetrics.compute(new int[] {0, 1, 1}, new int[] {0, 1, 1}, labels));
        assertNotEquals(a, ClassificationMetrics.compute(new int[] {0, 1, 1}, new int[] {0, 1, 0},
                List.of("a", "b")));
    }

    @Test
    void theConfusionMatrixIsACopy() {
        ClassificationMetrics m = ClassificationMetrics.compute(new int[] {0}, new int[] {0}, List.of("x", "y"));
        m.confusion()[0][0] = 99;
        assertEquals(1, m.count(0, 0));
    }

    @Test
    void badInputIsRejectedNamingTheProblem() {
        List<String> labels = List.of("ham", "spam");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.compute(new int[] {0, 1}, new int[] {0}, labels));
        assertTrue(e.getMessage().contains("gold has 2 labels but predicted has 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.compute(new int[] {0, 2}, new int[] {0, 1}, labels));
        assertTrue(e.getMessage().contains("gold[1] = 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.compute(new int[0], new int[0], labels));
        e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.compute(new long[] {1}, new long[] {1, 0}, labels));
        assertTrue(e.getMessage().contains("gold has 1 labels but predicted has 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.compute(new long[] {0, 1}, new long[] {0, -1}, labels));
        assertTrue(e.getMessage().contains("predicted[1] = -1"), e.getMessage());
    }
}
