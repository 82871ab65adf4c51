package ai.distill4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.TeacherCacheConfig;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.Students;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole suite on a tiny 6-layer teacher (the real one is imported only by the slow CLI test). */
class BenchSuiteTest {

    static final BertConfig TINY = BertConfig.builder().vocabSize(30522).hiddenSize(16).numHiddenLayers(6)
            .numAttentionHeads(4).intermediateSize(32).maxPositionEmbeddings(32).numLabels(2).build();

    @Test
    void reportHoldsEveryFieldWithSaneValues(@TempDir Path tmp) throws Exception {
        BenchPlan plan = new BenchPlan(new BenchOptions(3, 1, 1, 2, 8, 0), true, 2, 2, true, 1,
                tmp.resolve("trace.json"), new TeacherCacheConfig(true, tmp.resolve("cache"), 0));
        StringWriter log = new StringWriter();
        Map<String, Object> r = BenchSuite.run(plan, new PrintWriter(log), new BenchSuite.Fixture("tiny random",
                m -> Students.random(TINY, BertHead.SEQUENCE_CLASSIFICATION, 1, m), 0, 1));
        for (String key : List.of("system", "samples_per_s", "ms_per_step", "gflops", "gemm_peak_gflops", "mfu",
                "peak_rss_mb", "threads", "teacher_ms_b1", "student_ms_b1", "teacher_ms_b2", "student_ms_b2",
                "speedup_b2", "cache_epoch_ms", "cache_epoch_ratio", "nocache_epoch_ms", "rss_mb_by_step",
                "cpu_ms_per_step")) {
            assertTrue(r.containsKey(key), "missing " + key + " in " + r);
        }
        assertEquals("distill4j", r.get("system"));
        assertEquals(1, r.get("threads"));
        assertTrue((double) r.get("samples_per_s") > 0);
        double ms = (double) r.get("ms_per_step");
        assertEquals(2 * 1000 / (double) r.get("samples_per_s"), ms, ms * 0.01);
        assertTrue((double) r.get("gflops") >= 0);
        assertTrue((double) r.get("mfu") >= 0);
        assertTrue((double) r.get("peak_rss_mb") > 100);
        assertEquals(2, ((double[]) r.get("cache_epoch_ms")).length);
        assertEquals(1.0, ((double[]) r.get("cache_epoch_ratio"))[0]);
        assertEquals(1.0, ((double[]) r.get("cache_epoch_cpu_ratio"))[0]);
        assertTrue((double) r.get("cache_mb") >= 0);
        assertTrue(r.get("cache").toString().startsWith("float16 on disk"), r.get("cache").toString());
        assertEquals(4, ((Map<?, ?>) r.get("rss_mb_by_step")).size(), "one sample per training step");
        assertTrue(tmp.resolve("trace.json").toFile().length() > 0, "the Chrome trace was written");
        assertTrue(log.toString().contains("GEMM peak"), log.toString());
    }
}
