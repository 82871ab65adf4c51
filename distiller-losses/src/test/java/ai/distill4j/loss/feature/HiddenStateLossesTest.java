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

class HiddenStateLossesTest {

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

    private static double loss(MatchLoss loss, NDArray s, NDArray t, NDArray mask) {
        return value(loss.compute(List.of(s), List.of(t), mask));
    }

    private NDArray hidden(long seed) {
        return RandomArrays.normal(manager, DataType.FLOAT64, seed, 1, 2, 4, 5);
    }

    /** kd-losses.md section 4: hs = sin(0.2 + b + 0.3i + 0.5d), ht = cos(0.4 + b + 0.2i + 0.9d), d < 3. */
    @Test
    void cosMatchesDistilBertsReferenceOverTheSevenValidTokens() {
        double[] s = new double[24];
        double[] t = new double[24];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 4; i++) {
                for (int d = 0; d < 3; d++) {
                    s[(b * 4 + i) * 3 + d] = Math.sin(0.2 + b + 0.3 * i + 0.5 * d);
                    t[(b * 4 + i) * 3 + d] = Math.cos(0.4 + b + 0.2 * i + 0.9 * d);
                }
            }
        }
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 4, 3);
        double cos = loss(
                new CosineLoss(), manager.create(s, new Shape(2, 4, 3)), manager.create(t, new Shape(2, 4, 3)), mask);
        assertEquals(1.4415354858866039, cos, 1e-12);
    }

    @Test
    void cosIgnoresHowLongTheStudentsVectorsAre() {
        NDArray s = hidden(1);
        NDArray t = hidden(2);
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 4, 2);
        NDArray perToken = manager.create(new double[] {0.5, 2, 7, 0.01, 3, 3, 100, 1}, new Shape(2, 4, 1));
        double base = loss(new CosineLoss(), s, t, mask);
        assertEquals(base, loss(new CosineLoss(), s.mul(17), t, mask), 1e-12);
        // PyTorch's 1e-12 under the square root makes the invariance approximate for tiny vectors (scale 0.01)
        assertEquals(base, loss(new CosineLoss(), s.mul(perToken), t, mask), 1e-8);
        assertEquals(loss(new CosineLoss(), s, t, null), loss(new CosineLoss(), s.mul(perToken), t, null), 1e-8);
    }

    @Test
    void mseCosAndPkdAreZeroWhenTheStatesMatch() {
        NDArray h = hidden(3);
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 4, 1);
        for (MatchLoss loss : List.of(new HiddenMseLoss(), new CosineLoss(), new PkdLoss())) {
            assertEquals(0, loss(loss, h, h, null), 1e-12, loss.getClass().getSimpleName());
            assertEquals(0, loss(loss, h, h, mask), 1e-12, loss.getClass().getSimpleName());
        }
    }

    @Test
    void maskedHiddenMseAveragesOverTheElementsOfValidTokens() {
        NDArray s = hidden(4);
        NDArray t = hidden(5);
        NDArray mask = RandomArrays.rightPaddedMask(manager, 4, 3, 1);
        double expected = (value(s.get(":1, :3").sub(t.get(":1, :3")).square().sum())
                        + value(s.get("1:, :1").sub(t.get("1:, :1")).square().sum()))
                / (5 * 4);
        assertEquals(expected, loss(new HiddenMseLoss(), s, t, mask), 1e-12);
        assertEquals(loss(new HiddenMseLoss(), s, t, null), loss(new HiddenMseLoss(), s, t, manager.ones(new Shape(2, 4))),
                1e-12);
    }

    @Test
    void pkdComparesOnlyTheNormalizedFirstPositionAndIgnoresTheMask() {
        NDArray s = hidden(6);
        NDArray t = hidden(7);
        NDArray clsS = s.get(":, 0");
        NDArray clsT = t.get(":, 0");
        double expected = value(clsS.div(clsS.norm(new int[] {1}, true)).sub(clsT.div(clsT.norm(new int[] {1}, true)))
                .square().sum(new int[] {1}).mean());
        assertEquals(expected, loss(new PkdLoss(), s, t, null), 1e-12);
        assertEquals(expected, loss(new PkdLoss(), s, t, manager.zeros(new Shape(2, 4))), 1e-12);
        assertEquals(expected, loss(new PkdLoss(), clsS.mul(3), clsT, null), 1e-12);
        NDArray other = s.duplicate();
        other.set(new ai.djl.ndarray.index.NDIndex("1:, 1:"), 42);
        assertEquals(expected, loss(new PkdLoss(), other, t, null), 1e-12);
    }

    @Test
    void differentWidthsAskForAProjection() {
        NDArray s = hidden(8);
        NDArray t = RandomArrays.normal(manager, DataType.FLOAT64, 9, 1, 2, 4, 7);
        for (MatchLoss loss : List.of(new HiddenMseLoss(), new CosineLoss(), new PkdLoss())) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> loss.compute(List.of(s), List.of(t), null));
            assertTrue(e.getMessage().contains("(2, 4, 5)") || e.getMessage().contains("(2, 5)"), e.getMessage());
            assertTrue(e.getMessage().contains("proj"), e.getMessage());
        }
    }
}
