package ai.distill4j.loss.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.loss.MatchLoss;
import ai.distill4j.loss.testing.RandomArrays;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AttentionLossesTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static double value(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    private NDArray scores(long seed, long heads) {
        return RandomArrays.normal(manager, DataType.FLOAT64, seed, 1, 2, heads, 4, 4);
    }

    private static double loss(MatchLoss loss, NDArray s, NDArray t, NDArray mask) {
        return value(loss.compute(List.of(s), List.of(t), mask));
    }

    @Test
    void mseLossesAreZeroWhenTheMapsMatch() {
        NDArray a = scores(1, 3);
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 4, 2);
        for (MatchLoss loss : List.of(new AttentionMseLoss(), new AttentionMseSumLoss())) {
            assertEquals(0, loss(loss, a, a, null), 0);
            assertEquals(0, loss(loss, a, a, mask), 0);
        }
    }

    @Test
    void ceLossesEqualTheTeachersEntropyAndHaveZeroGradientWhenTheMapsMatch() {
        NDArray t = scores(2, 3);
        NDArray p = t.softmax(-1);
        double entropy = value(p.mul(t.logSoftmax(-1)).sum(new int[] {-1}).mean().neg());
        NDArray zeroNegatives = t.gt(-1e-3).toType(DataType.FLOAT64, false);
        double keptEntropy = value(p.mul(zeroNegatives).mul(t.logSoftmax(-1)).sum(new int[] {-1}).mean().neg());
        NDArray ones = manager.ones(new Shape(2, 4));
        assertEquals(keptEntropy, loss(new AttentionCeLoss(), t, t, null), 1e-12);
        assertEquals(entropy, loss(new AttentionCeLoss(), t, t, ones), 1e-12);
        for (MatchLoss loss : List.of(new AttentionCeLoss(), new AttentionCeMeanLoss())) {
            NDArray s = t.duplicate();
            s.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.compute(List.of(s), List.of(t), ones));
            }
            assertEquals(0, value(s.getGradient().abs().max()), 1e-12, loss.getClass().getSimpleName());
        }
    }

    @Test
    void withoutAMaskEntriesAtOrBelowMinusOneThousandthCountAsZero() {
        NDArray s = scores(3, 2);
        NDArray t = scores(4, 2);
        NDArray keepS = s.gt(-1e-3).toType(DataType.FLOAT64, false);
        NDArray keepT = t.gt(-1e-3).toType(DataType.FLOAT64, false);
        double expected = value(s.mul(keepS).sub(t.mul(keepT)).square().mean());
        assertEquals(expected, loss(new AttentionMseLoss(), s, t, null), 1e-12);
        // an additively masked key column (-10000) therefore counts as a column of zeros
        NDArray column = manager.create(new double[] {0, 0, 0, -10000}).reshape(1, 1, 1, 4);
        NDArray dropColumn = manager.create(new double[] {1, 1, 1, 0}).reshape(1, 1, 1, 4);
        assertEquals(
                loss(new AttentionMseLoss(), s.mul(dropColumn), t.mul(dropColumn), null),
                loss(new AttentionMseLoss(), s.add(column), t.add(column), null),
                1e-12);
    }

    @Test
    void anAllOnesMaskGivesTheUnmaskedValueForProbabilities() {
        NDArray s = scores(5, 3).softmax(-1);
        NDArray t = scores(6, 3).softmax(-1);
        NDArray ones = manager.ones(new Shape(2, 4));
        for (MatchLoss loss : List.of(
                new AttentionMseLoss(), new AttentionMseSumLoss(), new AttentionCeLoss(), new AttentionCeMeanLoss())) {
            assertEquals(loss(loss, s, t, null), loss(loss, s, t, ones), 1e-12, loss.getClass().getSimpleName());
        }
    }

    @Test
    void theMaskedMseDividesByHeadsTimesTheSquaredLengths() {
        NDArray s = scores(7, 2);
        NDArray t = scores(8, 2);
        int[] lengths = {3, 2};
        double[] sd = s.toDoubleArray();
        double[] td = t.toDoubleArray();
        double sum = 0;
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < lengths[b]; i++) {
                    for (int j = 0; j < lengths[b]; j++) {
                        int k = ((b * 2 + h) * 4 + i) * 4 + j;
                        sum += (sd[k] - td[k]) * (sd[k] - td[k]);
                    }
                }
            }
        }
        double expected = sum / (2 * (3 * 3 + 2 * 2));
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, lengths);
        assertEquals(expected, loss(new AttentionMseLoss(), s, t, mask), 1e-12);
    }

    @Test
    void headSummedAndHeadAveragedLossesAcceptDifferentHeadCountsAndThreeDimensionalMaps() {
        NDArray s = scores(9, 2);
        NDArray t = scores(10, 6);
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 4, 3);
        double sum = loss(new AttentionMseSumLoss(), s, t, mask);
        assertEquals(sum, loss(new AttentionMseSumLoss(), s.sum(new int[] {1}), t.sum(new int[] {1}), mask), 1e-12);
        double mean = loss(new AttentionCeMeanLoss(), s, t, mask);
        assertEquals(mean, loss(new AttentionCeMeanLoss(), s.mean(new int[] {1}), t.mean(new int[] {1}), mask), 1e-12);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new AttentionMseLoss().compute(List.of(s), List.of(t), mask));
        assertTrue(e.getMessage().contains("(2, 2, 4, 4)") && e.getMessage().contains("(2, 6, 4, 4)"), e.getMessage());
    }

    @Test
    void badShapesAndMasksAreRejectedWithTheirShapes() {
        NDArray s = scores(11, 2);
        NDArray notSquare = manager.zeros(new Shape(2, 2, 4, 3));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new AttentionCeLoss().compute(List.of(notSquare), List.of(notSquare), null));
        assertTrue(e.getMessage().contains("square"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new AttentionCeLoss().compute(List.of(s), List.of(s), manager.ones(new Shape(2, 5))));
        assertTrue(e.getMessage().contains("(2, 4)") && e.getMessage().contains("(2, 5)"), e.getMessage());
    }
}
