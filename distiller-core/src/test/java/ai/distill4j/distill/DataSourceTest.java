package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.distill4j.distill.adapt.BertBatch;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DataSourceTest {

    /** Five rows of length 4: ids 10*r + j, the last position padded in odd rows, label r % 2. */
    private static ArrayDataset fiveRows(NDManager m, boolean withMask, boolean withLabels) {
        long[] ids = new long[20];
        long[] mask = new long[20];
        for (int r = 0; r < 5; r++) {
            for (int j = 0; j < 4; j++) {
                ids[r * 4 + j] = 10L * r + j;
                mask[r * 4 + j] = (r % 2 == 1 && j == 3) ? 0 : 1;
            }
        }
        NDArray idArray = m.create(ids, new Shape(5, 4));
        ArrayDataset.Builder b = new ArrayDataset.Builder().setSampling(2, false);
        if (withMask) {
            b.setData(idArray, m.create(mask, new Shape(5, 4)));
        } else {
            b.setData(idArray);
        }
        if (withLabels) {
            b.optLabels(m.create(new long[] {0, 1, 0, 1, 0}));
        }
        return b.build();
    }

    @Test
    void aDjlDatasetBecomesHostBertBatchesOfItsSamplerSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            DataSource<BertBatch> source = DataSource.fromDataset(fiveRows(m, true, true), m, BertBatch::fromDjl);
            assertEquals(OptionalInt.of(3), source.size(), "5 rows in batches of 2, last batch kept");
            List<BertBatch> pass = new ArrayList<>();
            source.pass(0).forEachRemaining(pass::add);
            assertEquals(3, pass.size());
            assertArrayEquals(new long[] {10, 11, 12, 13}, pass.get(0).inputIds()[1]);
            assertArrayEquals(new long[] {1, 1, 1, 0}, pass.get(0).attentionMask()[1]);
            assertArrayEquals(new long[] {0, 1}, pass.get(0).labels());
            assertEquals(1, pass.get(2).size());
            assertArrayEquals(new long[] {40, 41, 42, 43}, pass.get(2).inputIds()[0]);
            assertNull(pass.get(0).tokenTypeIds());
            assertNull(pass.get(0).tokenLabels());
        }
    }

    @Test
    void everyPassReadsTheDatasetAgainAndClosesItsDjlBatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            DataSource<BertBatch> source = DataSource.fromDataset(fiveRows(m, true, true), m, BertBatch::fromDjl);
            int arraysBefore = ((BaseNDManager) m).getManagedArrays().size();
            source.size();
            for (int epoch = 0; epoch < 3; epoch++) {
                Set<Long> firstIds = new TreeSet<>();
                Iterator<BertBatch> it = source.pass(epoch);
                while (it.hasNext()) {
                    for (long[] row : it.next().inputIds()) {
                        firstIds.add(row[0]);
                    }
                }
                assertEquals(Set.of(0L, 10L, 20L, 30L, 40L), firstIds, "pass " + epoch + " sees every row once");
            }
            assertEquals(arraysBefore, ((BaseNDManager) m).getManagedArrays().size(),
                    "no array of a DJL batch outlives its conversion");
        }
    }

    @Test
    void aMissingMaskMeansAllTokensAndMissingLabelsMeanNone() {
        try (NDManager m = NDManager.newBaseManager()) {
            Iterator<BertBatch> it = DataSource.fromDataset(fiveRows(m, false, false), m, BertBatch::fromDjl).pass(0);
            BertBatch first = it.next();
            assertArrayEquals(new long[] {1, 1, 1, 1}, first.attentionMask()[1]);
            assertNull(first.labels());
            assertFalse(first.inputIds().length == 0);
        }
    }

    @Test
    void aConverterThatReturnsNullIsReportedWithThePass() {
        try (NDManager m = NDManager.newBaseManager()) {
            Iterator<Object> it = DataSource.fromDataset(fiveRows(m, true, true), m, b -> null).pass(4);
            IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
            assertEquals("the batch converter returned null for a batch of pass 4", e.getMessage());
        }
    }

    @Test
    void anIterableIsReiteratedEveryPassAndSizedWhenItIsACollection() {
        Set<String> set = new java.util.LinkedHashSet<>(List.of("a", "b", "c"));
        DataSource<String> sized = DataSource.of((Iterable<String>) set);
        assertEquals(OptionalInt.of(3), sized.size());
        Iterable<String> lazy = () -> List.of("x", "y").iterator();
        DataSource<String> unsized = DataSource.of(lazy);
        assertEquals(OptionalInt.empty(), unsized.size());
        for (int epoch = 0; epoch < 2; epoch++) {
            List<String> seen = new ArrayList<>();
            unsized.pass(epoch).forEachRemaining(seen::add);
            assertEquals(List.of("x", "y"), seen);
        }
    }
}
