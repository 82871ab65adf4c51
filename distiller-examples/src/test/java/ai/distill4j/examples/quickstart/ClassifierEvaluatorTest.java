package ai.distill4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.djl.ndarray.NDManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierEvaluatorTest {

    @TempDir
    Path tmp;

    private static BertModel tinyClassifier(NDManager m) {
        BertConfig config = BertConfig.builder().vocabSize(30522).hiddenSize(16).numHiddenLayers(2)
                .numAttentionHeads(4).intermediateSize(32).maxPositionEmbeddings(64)
                .id2label(Quickstart.LABELS).build();
        return Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 5, m);
    }

    private static List<BertBatch> batches(int rows, int batchSize, int length, long seed) {
        Random r = new Random(seed);
        List<BertBatch> single = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            long[] ids = new long[length];
            long[] mask = new long[length];
            int real = 2 + r.nextInt(length - 1);
            for (int j = 0; j < length; j++) {
                ids[j] = j < real ? 1000 + r.nextInt(5000) : 0;
                mask[j] = j < real ? 1 : 0;
            }
            single.add(new BertBatch(new long[][] {ids}, new long[][] {mask}, null, new long[] {r.nextInt(2)}, null));
        }
        List<BertBatch> out = new ArrayList<>();
        for (int i = 0; i < rows; i += batchSize) {
            out.add(BertBatch.of(single.subList(i, Math.min(rows, i + batchSize))));
        }
        return out;
    }

    @Test
    void evaluatorReportsTheMetricsOfItsPredictions() {
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = tinyClassifier(m);
            List<BertBatch> data = batches(10, 4, 12, 1);
            Predictions p = ClassifierEvaluator.predict(model, data);
            assertEquals(10, p.predicted().length);
            assertTrue(p.meanLoss() > 0 && p.meanLoss() < 5, "cross-entropy of a random 2-way head: " + p.meanLoss());
            long correct = 0;
            for (int i = 0; i < 10; i++) {
                correct += p.predicted()[i] == p.gold()[i] ? 1 : 0;
            }
            assertEquals(correct / 10.0, p.metrics().accuracy(), 1e-12);
            assertEquals(p.evaluationMetrics(), new ClassifierEvaluator(model, data).evaluate(null, 3));
            assertEquals(p, ClassifierEvaluator.predict(model, data), "eval mode is deterministic");
        }
    }

    @Test
    void exportedClassifierReloadsWithTheSamePredictionsAndLabels() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = tinyClassifier(m);
            List<BertBatch> data = batches(9, 4, 10, 2);
            Predictions before = ClassifierEvaluator.predict(model, data);
            Path dir = tmp.resolve("student");
            BertModels.save(model, dir);
            LoadedBert reloaded = BertModels.load(dir, m);
            assertEquals(BertHead.SEQUENCE_CLASSIFICATION, reloaded.model().head());
            assertEquals(Quickstart.LABELS, reloaded.config().id2label());
            assertTrue(reloaded.initialisedHeadTensors().isEmpty(), "the head is saved, not re-initialised");
            Predictions after = ClassifierEvaluator.predict(reloaded.model(), data);
            assertEquals(before, after);
            assertEquals(0, after.disagreements(before));
        }
    }

    @Test
    void evaluationNeedsLabelsAndAHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = tinyClassifier(m);
            BertBatch unlabelled = new BertBatch(new long[][] {{101, 102}}, new long[][] {{1, 1}}, null, null, null);
            assertThrows(IllegalStateException.class, () -> ClassifierEvaluator.predict(model, List.of(unlabelled)));
            assertThrows(IllegalArgumentException.class, () -> new ClassifierEvaluator(model, List.of()));
        }
    }

    @Test
    void timingReportsMillisecondsPerExampleForWholeBatches() throws Exception {
        Path tokenizer = tmp.resolve("tokenizer.json");
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tokenizer);
        }
        List<String> texts = List.of("one short text", "a second, slightly longer text than the first",
                "three", "four four four", "five");
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = tinyClassifier(m);
            InferenceTiming one = InferenceTiming.measure(model, tokenizer, 32, texts, 1);
            assertEquals(5, one.examples());
            assertEquals(1, one.batchSize());
            assertTrue(one.msPerExample() > 0 && one.msPerExample() < 10_000, "ms: " + one.msPerExample());
            InferenceTiming two = InferenceTiming.measure(model, tokenizer, 32, texts, 2);
            assertEquals(4, two.examples(), "the partial last batch is not timed");
            assertThrows(IllegalArgumentException.class,
                    () -> InferenceTiming.measure(model, tokenizer, 32, texts.subList(0, 1), 2));
        }
    }
}
