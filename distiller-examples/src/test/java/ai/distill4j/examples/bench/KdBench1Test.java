package ai.distill4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.model.bert.BertConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class KdBench1Test {

    static BertConfig miniLm(int layers) {
        return BertConfig.builder().vocabSize(30522).hiddenSize(384).numHiddenLayers(layers).numAttentionHeads(12)
                .intermediateSize(1536).build();
    }

    @Test
    void aStepIs229Point5ModelGigaflopsAtBatch32Length128() {
        assertEquals(15.3e9, KdBench1.layerForwardFlops(32, 128, miniLm(6)), 0.01e9);
        assertEquals(229.5e9, KdBench1.stepFlops(32, 128, miniLm(6), miniLm(3)), 0.1e9);
    }

    @Test
    void batchesAreRandomIdsInRangeWithFullMasksZeroTypesAndBinaryLabels() {
        List<BertBatch> batches = KdBench1.batches(3, 4, 16, 9);
        assertEquals(3, batches.size());
        boolean sawZero = false;
        boolean sawOne = false;
        for (BertBatch b : batches) {
            assertEquals(4, b.size());
            assertEquals(16, b.sequenceLength());
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 16; j++) {
                    long id = b.inputIds()[i][j];
                    assertTrue(id >= KdBench1.MIN_TOKEN && id < KdBench1.MAX_TOKEN, "token id " + id);
                    assertEquals(1L, b.attentionMask()[i][j]);
                    assertEquals(0L, b.tokenTypeIds()[i][j]);
                }
                long label = b.labels()[i];
                assertTrue(label == 0 || label == 1, "label " + label);
                sawZero |= label == 0;
                sawOne |= label == 1;
            }
        }
        assertTrue(sawZero && sawOne, "12 random labels should include both classes");
        assertArrayEquals(batches.get(1).inputIds()[2], KdBench1.batches(3, 4, 16, 9).get(1).inputIds()[2],
                "the same seed draws the same batches");
        assertThrows(IllegalArgumentException.class, () -> KdBench1.batches(0, 4, 16, 9));
    }

    @Test
    void theDistillationConfigIsKdAtFourPlusHardLabelsPlusSevenMatches() {
        DistillationConfig c = KdBench1.distillationConfig(false);
        assertEquals("ce", c.kdLossType());
        assertEquals(4.0, c.temperature());
        assertEquals(1.0, c.kdLossWeight());
        assertEquals(1.0, c.hardLabelWeight());
        List<IntermediateMatch> m = c.intermediateMatches();
        assertEquals(7, m.size());
        int[][] expected = {{0, 0}, {2, 1}, {4, 2}, {6, 3}, {1, 0}, {3, 1}, {5, 2}};
        for (int i = 0; i < 7; i++) {
            assertEquals(List.of(expected[i][0]), m.get(i).layerT(), "match " + i);
            assertEquals(List.of(expected[i][1]), m.get(i).layerS(), "match " + i);
            assertEquals(i < 4 ? "hidden" : "attention", m.get(i).feature());
            assertEquals(i < 4 ? "hidden_mse" : "attention_mse", m.get(i).loss());
            assertEquals(1.0, m.get(i).weight());
        }
        assertTrue(KdBench1.distillationConfig(true).isCachingLogits());
    }

    @Test
    void theOptimizerIsAdamWAtOneEMinusFourWithDecayPointZeroOne() {
        OptimizerConfig o = KdBench1.optimizer();
        assertEquals("adamw", o.name());
        assertEquals(1e-4, o.lr());
        assertEquals(0.01, o.weightDecay());
        assertEquals("constant", o.scheduleName());
    }
}
