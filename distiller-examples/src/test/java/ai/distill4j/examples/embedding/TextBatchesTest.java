package ai.distill4j.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.BertBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextBatchesTest {

    /** Rows of lengths 2..41 whose first id encodes the row number. */
    private static long[][] rows() {
        long[][] rows = new long[40][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new long[2 + (i * 7) % 40];
            Arrays.fill(rows[i], 5);
            rows[i][0] = 1000 + i;
        }
        return rows;
    }

    @Test
    void everyRowLandsInExactlyOneBatchWithItsLabel() {
        long[][] rows = rows();
        int[] labels = new int[rows.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        List<BertBatch> batches = TextBatches.batch(rows, labels, 6, 3);
        Map<Long, Integer> seen = new HashMap<>();
        for (BertBatch b : batches) {
            for (int r = 0; r < b.size(); r++) {
                long id = b.inputIds()[r][0];
                int row = (int) (id - 1000);
                seen.merge(id, 1, Integer::sum);
                assertEquals(labels[row], b.labels()[r]);
                long real = Arrays.stream(b.attentionMask()[r]).sum();
                assertEquals(rows[row].length, real);
                assertArrayEquals(rows[row], Arrays.copyOf(b.inputIds()[r], rows[row].length));
            }
        }
        assertEquals(rows.length, seen.size());
        assertTrue(seen.values().stream().allMatch(c -> c == 1));
        assertEquals(7, batches.size()); // 40 rows in batches of 6
    }

    @Test
    void eachBatchIsCutAfterItsLongestRow() {
        for (BertBatch b : TextBatches.batch(rows(), null, 5, 1)) {
            long longest = 0;
            for (long[] m : b.attentionMask()) {
                longest = Math.max(longest, Arrays.stream(m).sum());
            }
            assertEquals(longest, b.sequenceLength());
        }
    }

    @Test
    void sortingByLengthWithinWindowsLeavesLittlePadding() {
        long padded = 0;
        long real = 0;
        for (BertBatch b : TextBatches.batch(rows(), null, 4, 9)) {
            padded += (long) b.size() * b.sequenceLength();
            for (long[] m : b.attentionMask()) {
                real += Arrays.stream(m).sum();
            }
        }
        // Unsorted batches of 4 random lengths in 2..41 pad about 40%; sorted ones far less.
        assertTrue(padded - real < 0.15 * real, "padding " + (padded - real) + " of " + real + " real tokens");
    }

    @Test
    void theSameSeedGivesTheSameBatchesAndAnotherSeedAnotherOrder() {
        List<Long> a = firstIds(TextBatches.batch(rows(), null, 4, 11));
        assertEquals(a, firstIds(TextBatches.batch(rows(), null, 4, 11)));
        assertTrue(!a.equals(firstIds(TextBatches.batch(rows(), null, 4, 12))));
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextBatches.batch(rows(), null, 0, 1));
        assertTrue(e.getMessage().contains("batchSize = 0"), e.getMessage());
    }

    private static List<Long> firstIds(List<BertBatch> batches) {
        List<Long> out = new ArrayList<>();
        for (BertBatch b : batches) {
            for (long[] r : b.inputIds()) {
                out.add(r[0]);
            }
        }
        return out;
    }
}
