package ai.distill4j.loss.logit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogitRowsTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** (2, 3, 2) logits whose row (b, l) holds [10b + l, -(10b + l)]. */
    private NDArray sequenceLogits() {
        float[] data = new float[12];
        for (int b = 0; b < 2; b++) {
            for (int l = 0; l < 3; l++) {
                data[(b * 3 + l) * 2] = 10 * b + l;
                data[(b * 3 + l) * 2 + 1] = -(10 * b + l);
            }
        }
        return manager.create(data, new Shape(2, 3, 2));
    }

    @Test
    void keepsTheMaskedPositionsInRowMajorOrder() {
        NDArray mask = manager.create(new long[] {1, 0, 1, 0, 1, 1}, new Shape(2, 3));
        NDArray rows = LogitRows.select(sequenceLogits(), mask);
        assertEquals(new Shape(4, 2), rows.getShape());
        assertArrayEquals(new float[] {0, 0, 2, -2, 11, -11, 12, -12}, rows.toFloatArray());
    }

    @Test
    void acceptsFloatAndBooleanMasks() {
        NDArray mask = manager.create(new float[] {0, 1, 0, 1, 0, 0}, new Shape(2, 3));
        assertArrayEquals(new float[] {1, -1, 10, -10}, LogitRows.select(sequenceLogits(), mask).toFloatArray());
        NDArray bool = mask.toType(DataType.BOOLEAN, false);
        assertArrayEquals(new float[] {1, -1, 10, -10}, LogitRows.select(sequenceLogits(), bool).toFloatArray());
    }

    @Test
    void leavesTwoDimensionalLogitsAndANullMaskAlone() {
        NDArray flat = manager.ones(new Shape(2, 5));
        assertSame(flat, LogitRows.select(flat, manager.zeros(new Shape(2, 7))));
        NDArray seq = sequenceLogits();
        assertSame(seq, LogitRows.select(seq, null));
    }

    @Test
    void anAllZeroMaskSelectsNoRows() {
        NDArray rows = LogitRows.select(sequenceLogits(), manager.zeros(new Shape(2, 3)));
        assertEquals(new Shape(0, 2), rows.getShape());
    }

    @Test
    void gradientsReachOnlyTheSelectedPositions() {
        NDArray logits = sequenceLogits();
        logits.setRequiresGradient(true);
        NDArray mask = manager.create(new float[] {1, 1, 0, 0, 0, 1}, new Shape(2, 3));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(LogitRows.select(logits, mask).sum());
        }
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1}, logits.getGradient().toFloatArray());
    }

    @Test
    void aMaskOfTheWrongShapeIsRejectedWithBothShapes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> LogitRows.select(sequenceLogits(), manager.ones(new Shape(3, 2))));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(3, 2)"), e.getMessage());
    }

    @Test
    void selectingRowsOfCachedLogitsLeavesNothingInTheCacheManager() {
        try (NDManager cache = NDManager.newBaseManager();
                NDManager step = manager.newSubManager()) {
            NDArray cached = cache.ones(new Shape(2, 3, 4));
            int before = cache.getManagedArrays().size();
            NDArray rows = LogitRows.select(cached, step.ones(new Shape(2, 3)));
            assertEquals(new Shape(6, 4), rows.getShape());
            assertEquals(step, rows.getManager());
            assertEquals(before, cache.getManagedArrays().size());
        }
    }
}
