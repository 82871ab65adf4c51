package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.callback.Callback;
import ai.distill4j.distill.callback.Evaluation;
import ai.distill4j.distill.checkpoint.MetricMode;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.Projection;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.distill.run.ClassificationEvaluator;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long run stays flat: 3000 small steps of GeneralDistiller (KD, a projected hidden match, hard labels, AdamW,
 * clipping) with an evaluation and a checkpoint every 250 steps and only the last two checkpoints kept. Every 100
 * steps it counts the live arrays of every long-lived manager (the models', the distiller's, the run's with the
 * optimizer state) and, right after a collection, the process RSS; after a warm-up of 1000 steps the counts must not
 * change at all, and the median RSS of the last 1000 steps must not exceed that of the 1000 before by 32 MB or more
 * (single samples swing by some 60 MB with the heap). Run it with
 * {@code mvn -o -pl distiller-core -am test -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsurefire.excludedGroups=} (or {@code scripts/test-reliability}).
 */
@Tag("slow")
class SoakTest {

    private static final int STEPS = 3000;
    private static final int WARM_UP = 1000;

    @TempDir
    Path tmp;

    private static List<BertBatch> batches(int n, int size, int length, long seed) {
        Random r = new Random(seed);
        List<BertBatch> out = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            long[][] ids = new long[size][length];
            long[][] mask = new long[size][length];
            long[] labels = new long[size];
            for (int i = 0; i < size; i++) {
                int used = 3 + r.nextInt(length - 2);
                for (int j = 0; j < length; j++) {
                    ids[i][j] = j < used ? 1 + r.nextInt(60) : 0;
                    mask[i][j] = j < used ? 1 : 0;
                }
                labels[i] = r.nextInt(2);
            }
            out.add(new BertBatch(ids, mask, null, labels, null));
        }
        return out;
    }

    /** Live arrays of every named manager under the process-wide root (sub-managers counted in their parent). */
    static Map<String, Integer> liveArrays(NDManager any) throws ReflectiveOperationException {
        NDManager root = any;
        while (root.getParentManager() != null && root.getParentManager() != root) {
            root = root.getParentManager();
        }
        Field resources = BaseNDManager.class.getDeclaredField("resources");
        resources.setAccessible(true);
        Map<String, Integer> counts = new TreeMap<>();
        for (Object r : ((Map<?, ?>) resources.get(root)).values()) {
            if (r instanceof NDManager m && m.getName() != null && m.isOpen()) {
                counts.merge(m.getName(), m.getManagedArrays().size(), Integer::sum);
            }
        }
        return counts;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void thousandsOfStepsKeepArrayCountsAndMemoryFlat() throws Exception {
        List<Map<String, Integer>> counts = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        try (NDManager models = NDManager.newBaseManager()) {
            models.setName("soak-models");
            BertConfig tc = BertConfig.builder().vocabSize(64).hiddenSize(32).numHiddenLayers(2).numAttentionHeads(4)
                    .intermediateSize(64).maxPositionEmbeddings(16).build();
            BertConfig sc = tc.toBuilder().hiddenSize(16).numAttentionHeads(2).intermediateSize(32)
                    .numHiddenLayers(1).build();
            BertModel teacher = Students.random(tc, BertHead.SEQUENCE_CLASSIFICATION, 1, models);
            BertModel student = Students.random(sc, BertHead.SEQUENCE_CLASSIFICATION, 2, models);
            DistillationConfig dc = DistillationConfig.builder().optTemperature(2).optHardLabelWeight(1)
                    .addIntermediateMatch(IntermediateMatch.builder().setLayers(2, 1).setFeature("hidden")
                            .setLoss("hidden_mse").setWeight(1).optProj(new Projection("linear", 16, 32, Map.of()))
                            .build())
                    .build();
            TrainingConfig config = TrainingConfig.builder().optOutputDir(tmp.resolve("out").toString())
                    .optCkptSteps(250).optKeepLastCheckpoints(2).build();
            Evaluation evaluation = Evaluation.of(new ClassificationEvaluator(student, batches(4, 8, 12, 9)),
                    "accuracy", MetricMode.MAX);
            Callback probe = new Callback() {
                @Override
                public void onStep(int step, double learningRate) {
                    if (step % 100 == 0) {
                        try {
                            counts.add(liveArrays(models));
                            System.gc(); // direct buffers are freed, and the heap can shrink, only on collection
                            rss.add(rssKb());
                        } catch (ReflectiveOperationException | IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            };
            long start = System.nanoTime();
            try (GeneralDistiller<BertBatch> d = new GeneralDistiller<>(config, dc,
                    AdaptedModel.of(BertDistillModel.of(teacher),
                            BertAdaptor.forModel(teacher, BertAdaptor.Attention.SCORES, false)),
                    AdaptedModel.of(BertDistillModel.of(student),
                            BertAdaptor.forModel(student, BertAdaptor.Attention.SCORES, true)))) {
                TrainResult r = d.train(TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(1e-3)
                                .optWeightDecay(0.01).build())
                        .optNumSteps(STEPS).optMaxGradNorm(1).optSeed(4).optEvaluation(evaluation)
                        .addCallback(probe).build(), DataSource.of(batches(8, 4, 12, 5)));
                assertEquals(STEPS, r.globalSteps());
                assertEquals(STEPS / 250, r.history().size(), "one evaluation per checkpoint");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int base = WARM_UP / 100 - 1;
            System.out.printf("soak: %d steps in %.1f s; live arrays at step %d %s, at the end %s; RSS after a "
                    + "collection %d -> %d MB (all samples, kB: %s)%n", STEPS, seconds, WARM_UP, counts.get(base),
                    counts.get(counts.size() - 1), rss.get(base) / 1024, rss.get(rss.size() - 1) / 1024, rss);
            for (int i = base; i < counts.size(); i++) {
                assertEquals(counts.get(base), counts.get(i), "live arrays at step " + (i + 1) * 100);
            }
            // the RSS swings with the heap from sample to sample: compare the medians of the two halves after warm-up
            int mid = base + (rss.size() - base) / 2;
            long growth = median(rss.subList(mid, rss.size())) - median(rss.subList(base, mid));
            assertTrue(growth < 32 * 1024, "RSS grew by " + growth / 1024 + " MB after warm-up: " + rss);
        }
    }
}
