package ai.distill4j.loss.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.loss.MatchLoss;
import ai.distill4j.loss.testing.RandomArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PairLossesTest {

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

    private NDArray hidden(long seed, long width) {
        return RandomArrays.normal(manager, DataType.FLOAT64, seed, 1, 2, 4, width);
    }

    @Test
    void fspAndMmdAreZeroWhenThePairsMatch() {
        List<NDArray> pair = List.of(hidden(1, 3), hidden(2, 3));
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 4, 2);
        for (MatchLoss loss : List.of(new FspLoss(), new MmdLoss())) {
            assertEquals(0, value(loss.compute(pair, pair, null)), 0);
            assertEquals(0, value(loss.compute(pair, pair, mask)), 0);
        }
    }

    @Test
    void mmdComparesTokenSimilaritiesAcrossDifferentWidths() {
        List<NDArray> s = List.of(hidden(3, 3), hidden(4, 3));
        List<NDArray> t = List.of(hidden(5, 8), hidden(6, 8));
        NDArray gs = s.get(0).matMul(s.get(1).transpose(0, 2, 1)).div(3);
        NDArray gt = t.get(0).matMul(t.get(1).transpose(0, 2, 1)).div(8);
        assertEquals(value(gs.sub(gt).square().mean()), value(new MmdLoss().compute(s, t, null)), 1e-12);
        // with a mask: the valid (i, j) pairs of each example, divided by sum_b l_b^2 = 9 + 1
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 3, 1);
        NDArray d = gs.sub(gt).square();
        double expected = (value(d.get("0, :3, :3").sum()) + value(d.get("1, :1, :1").sum())) / 10;
        assertEquals(expected, value(new MmdLoss().compute(s, t, mask)), 1e-12);
    }

    @Test
    void maskedFspZeroesPaddedTokensAndDividesEachGramByItsLength() {
        List<NDArray> s = List.of(hidden(7, 3), hidden(8, 3));
        List<NDArray> t = List.of(hidden(9, 3), hidden(10, 3));
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 4, 2);
        NDArray gs0 = s.get(0).get("0").transpose().matMul(s.get(1).get("0")).div(4);
        NDArray gt0 = t.get(0).get("0").transpose().matMul(t.get(1).get("0")).div(4);
        NDArray gs1 = s.get(0).get("1, :2").transpose().matMul(s.get(1).get("1, :2")).div(2);
        NDArray gt1 = t.get(0).get("1, :2").transpose().matMul(t.get(1).get("1, :2")).div(2);
        double expected = (value(gs0.sub(gt0).square().sum()) + value(gs1.sub(gt1).square().sum())) / (2 * 3 * 3);
        assertEquals(expected, value(new FspLoss().compute(s, t, mask)), 1e-12);
        assertEquals(
                value(new FspLoss().compute(s, t, null)),
                value(new FspLoss().compute(s, t, manager.ones(new Shape(2, 4)))),
                1e-12);
    }

    @Test
    void fspNeedsEqualWidthsAndNamesTheAliasItWasCalledBy() {
        List<NDArray> s = List.of(hidden(11, 3), hidden(12, 3));
        List<NDArray> t = List.of(hidden(13, 5), hidden(14, 5));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new FspLoss("gram").compute(s, t, null));
        assertTrue(e.getMessage().contains("'gram'") && e.getMessage().contains("proj"), e.getMessage());
    }
}
