package ai.distill4j.loss.logit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbabilityShiftTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void swapsTheLargestLogitWithTheGoldLabelsLogitPerRow() {
        NDArray logits = manager.create(new float[] {1, 5, 2, 9, 3, 4, 0, 7, 7}, new Shape(3, 3));
        NDArray labels = manager.create(new long[] {2, 0, 1});
        NDArray shifted = ProbabilityShift.shift(logits, labels);
        // row 0: max 5 at 1, gold 2 -> [1, 2, 5]; row 1: gold is the max -> unchanged; row 2: tie, first max (1) is gold
        assertArrayEquals(new float[] {1, 2, 5, 9, 3, 4, 0, 7, 7}, shifted.toFloatArray());
        assertArrayEquals(new long[] {2, 0, 1}, shifted.argMax(1).toLongArray());
        assertArrayEquals(new float[] {1, 5, 2, 9, 3, 4, 0, 7, 7}, logits.toFloatArray(), "the input is untouched");
    }

    @Test
    void sequenceLogitsShiftPerPositionAndIgnoreNegativeLabels() {
        NDArray logits = manager.create(new float[] {3, 1, 0, 2, 9, 8, 1, 4}, new Shape(2, 2, 2));
        NDArray labels = manager.create(new long[] {1, -100, 1, 0}, new Shape(2, 2));
        NDArray shifted = ProbabilityShift.shift(logits, labels);
        assertEquals(new Shape(2, 2, 2), shifted.getShape());
        assertArrayEquals(new float[] {1, 3, 0, 2, 8, 9, 4, 1}, shifted.toFloatArray());
    }

    @Test
    void negativeLabelsAreIgnoredForTwoDimensionalLogitsToo() {
        NDArray logits = manager.create(new float[] {3, 1, 2}, new Shape(1, 3));
        assertArrayEquals(
                new float[] {3, 1, 2}, ProbabilityShift.shift(logits, manager.create(new long[] {-1})).toFloatArray());
    }

    @Test
    void selectedRowsTakeTheLabelsTheLogitsMaskSelects() {
        NDArray logits = manager.create(new float[] {5, 0, 1, 6, 7, 2, 0, 3, 4, 1, 8, 9}, new Shape(2, 3, 2));
        NDArray mask = manager.create(new long[] {1, 0, 1, 0, 1, 1}, new Shape(2, 3));
        NDArray labels = manager.create(new long[] {1, -100, 1, -100, 0, 0}, new Shape(2, 3));
        NDArray rows = LogitRows.select(logits, mask); // [5,0], [7,2], [4,1], [8,9]
        NDArray shifted = ProbabilityShift.shiftSelected(rows, labels, mask);
        assertArrayEquals(new float[] {0, 5, 2, 7, 4, 1, 9, 8}, shifted.toFloatArray());
    }

    @Test
    void badShapesAndLabelsAreRejected() {
        NDArray logits = manager.zeros(new Shape(2, 3));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ProbabilityShift.shift(logits, manager.create(new long[] {0, 3})));
        assertTrue(e.getMessage().contains("label 3") && e.getMessage().contains("3 classes"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> ProbabilityShift.shift(logits, manager.create(new long[] {0})));
        assertTrue(e.getMessage().contains("(2)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ProbabilityShift.shift(manager.zeros(new Shape(4)), manager.create(new long[] {0})));
        assertTrue(e.getMessage().contains("rank 2 or 3"), e.getMessage());
        NDArray mask = manager.create(new long[] {1, 1, 1}, new Shape(1, 3));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ProbabilityShift.shiftSelected(logits, manager.zeros(new Shape(1, 3)), mask));
        assertTrue(e.getMessage().contains("selects 3 labels") && e.getMessage().contains("2 selected"), e.getMessage());
    }

    @Test
    void shiftingCachedTeacherLogitsLeavesNothingInTheCacheManager() {
        try (NDManager cache = NDManager.newBaseManager();
                NDManager step = manager.newSubManager()) {
            NDArray cached = cache.create(new float[] {1, 5, 2, 9, 3, 4}, new Shape(1, 2, 3));
            int before = cache.getManagedArrays().size();
            NDArray labels = step.create(new long[] {2, 1}, new Shape(1, 2));
            NDArray shifted = ProbabilityShift.shift(cached, labels);
            NDArray mask = step.create(new long[] {0, 1}, new Shape(1, 2));
            NDArray selected = ProbabilityShift.shiftSelected(LogitRows.select(cached, mask), labels, mask);
            assertArrayEquals(new float[] {1, 2, 5, 3, 9, 4}, shifted.toFloatArray());
            assertArrayEquals(new float[] {3, 9, 4}, selected.toFloatArray());
            assertEquals(step, shifted.getManager());
            assertEquals(before, cache.getManagedArrays().size());
        }
    }
}
