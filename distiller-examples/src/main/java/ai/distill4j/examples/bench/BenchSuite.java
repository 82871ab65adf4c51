package ai.distill4j.examples.bench;

import ai.distill4j.model.bert.BertModel;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a {@link BenchPlan} in this process and gathers the results into one flat report (the JSON line
 * {@code distill4j bench} prints): the teacher is imported, the GEMM peak measured, then training, inference and the
 * cache experiment run as planned. Progress goes to the log writer.
 *
 * @since 0.1.0
 */
public final class BenchSuite {

    /** The value of the report's {@code system} field. */
    public static final String SYSTEM = "distill4j";

    private BenchSuite() {}

    /**
     * Runs the plan.
     *
     * @param plan what to measure
     * @param log where progress goes (stderr for the command)
     * @return the report, in field order
     * @throws IOException when the bundled teacher cannot be read or temporary folders cannot be written
     */
    public static Map<String, Object> run(BenchPlan plan, PrintWriter log) throws IOException {
        return run(plan, log, new Fixture("imported from the bundled all-MiniLM-L6-v2", KdBench1::teacher,
                GemmPeak.WARMUP, GemmPeak.REPEATS));
    }

    /** Builds a teacher in a manager (the bundled all-MiniLM-L6-v2 normally; small models in tests). */
    @FunctionalInterface
    interface TeacherFactory {
        BertModel create(NDManager manager) throws IOException;
    }

    /** What the suite runs on: the teacher and the GEMM peak's call counts (reduced in tests). */
    record Fixture(String teacherSource, TeacherFactory teachers, int gemmWarmup, int gemmRepeats) {}

    static Map<String, Object> run(BenchPlan plan, PrintWriter log, Fixture fixture) throws IOException {
        BenchOptions o = plan.options();
        Engine.getInstance();
        JniUtils.setNumThreads(o.threads());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("system", SYSTEM);
        r.put("benchmark", KdBench1.NAME);
        double loadStart = ProcessMemory.loadAverage().orElse(Double.NaN);
        log.printf(Locale.ROOT, "bench: %s, %d threads (PyTorch reports %d), batch %d x %d, load average %.2f%n",
                KdBench1.NAME, o.threads(), JniUtils.getNumThreads(), o.batchSize(), o.seqLength(), loadStart);
        log.flush();
        try (NDManager manager = NDManager.newBaseManager()) {
            long t0 = System.nanoTime();
            BertModel teacher = fixture.teachers().create(manager);
            log.printf(Locale.ROOT, "bench: teacher %s in %.1f s (%s)%n", fixture.teacherSource(),
                    (System.nanoTime() - t0) / 1e9, memory());
            GemmPeak.Result gemm = GemmPeak.run(manager, fixture.gemmWarmup(), fixture.gemmRepeats());
            double peak = gemm.gflops();
            log.printf(Locale.ROOT, "bench: GEMM peak (%d x %d) x (%d x %d): %.1f GFLOP/s (%.1f GFLOP per CPU-second)%n",
                    GemmPeak.M, GemmPeak.K, GemmPeak.K, GemmPeak.N, peak, gemm.gflopsPerCpuSecond());
            log.flush();
            BertModel student = KdBench1.student(teacher, manager);
            // the ONNX import parses a 90 MB graph on the Java heap; hand that garbage back to the OS before
            // training, as a long-running trainer would (G1 shrinks the heap on a full collection)
            System.gc();
            log.printf(Locale.ROOT, "bench: models ready (%s)%n", memory());
            if (o.steps() > 0) {
                log.printf(Locale.ROOT, "bench: training, %d warm-up + %d timed steps of GeneralDistiller%n",
                        o.warmup(), o.steps());
                log.flush();
                TrainingMeasurement t = TrainingBench.run(o, teacher, student, plan.rssEvery(), plan.profile());
                r.put("samples_per_s", round(t.samplesPerSecond(), 3));
                r.put("ms_per_step", round(t.msPerStep(), 1));
                r.put("median_step_ms", round(t.medianStepMs(), 1));
                r.put("gflops", round(t.gflops(), 2));
                r.put("gemm_peak_gflops", round(peak, 2));
                r.put("mfu", round(t.gflops() / peak, 3));
                double flops = KdBench1.stepFlops(o.batchSize(), o.seqLength(), teacher.config(), student.config());
                double perCpu = flops / (t.cpuMsPerStep() / 1e3) / 1e9;
                r.put("cpu_ms_per_step", round(t.cpuMsPerStep(), 1));
                r.put("mfu_cpu", round(perCpu / gemm.gflopsPerCpuSecond(), 3));
                Map<String, Object> phases = new LinkedHashMap<>();
                t.phaseMsPerStep().forEach((k, v) -> phases.put(k, round(v, 1)));
                r.put("phase_ms_per_step", phases);
                log.printf(Locale.ROOT, "bench: %.2f samples/s, %.1f ms/step (median %.1f), %.1f GFLOP/s, MFU %.3f;"
                                + " CPU %.0f ms/step (MFU by CPU time %.3f); per step %s ms (%s)%n",
                        t.samplesPerSecond(), t.msPerStep(), t.medianStepMs(), t.gflops(), t.gflops() / peak,
                        t.cpuMsPerStep(), perCpu / gemm.gflopsPerCpuSecond(), phases, memory());
                if (t.rssSteps().length > 0) {
                    putRssTrace(r, t, log);
                }
            } else {
                r.put("gemm_peak_gflops", round(peak, 2));
            }
            r.put("peak_rss_mb", round(ProcessMemory.peakRssMb().orElse(Double.NaN), 1));
            r.put("threads", o.threads());
            r.put("batch", o.batchSize());
            r.put("seq", o.seqLength());
            r.put("steps", o.steps());
            r.put("warmup", o.warmup());
            if (plan.inference()) {
                log.println("bench: inference latency, teacher vs student, batch 1 and " + o.batchSize());
                log.flush();
                InferenceMeasurement m = InferenceBench.compare(teacher, student, o.batchSize(), o.seqLength(),
                        o.seed() + 7, manager);
                r.put("teacher_ms_b1", round(m.teacherMsB1(), 2));
                r.put("student_ms_b1", round(m.studentMsB1(), 2));
                r.put("teacher_ms_b" + o.batchSize(), round(m.teacherMsBatch(), 2));
                r.put("student_ms_b" + o.batchSize(), round(m.studentMsBatch(), 2));
                r.put("speedup_b" + o.batchSize(), round(m.speedup(), 3));
                log.printf(Locale.ROOT, "bench: teacher %.1f / student %.1f ms at batch 1; %.1f / %.1f ms at batch %d"
                                + " (student %.2fx faster)%n", m.teacherMsB1(), m.studentMsB1(), m.teacherMsBatch(),
                        m.studentMsBatch(), o.batchSize(), m.speedup());
            }
            if (plan.cacheEpochs() > 0) {
                runCache(plan, teacher, manager, r, log);
            }
        }
        r.put("load_avg_start", round(loadStart, 2));
        r.put("load_avg_end", round(ProcessMemory.loadAverage().orElse(Double.NaN), 2));
        log.flush();
        return r;
    }

    private static void runCache(BenchPlan plan, BertModel teacher, NDManager manager, Map<String, Object> r,
            PrintWriter log) throws IOException {
        BenchOptions o = plan.options();
        if (plan.cacheBaseline()) {
            log.printf(Locale.ROOT, "bench: cache experiment baseline, %d epochs x %d batches without the cache%n",
                    plan.cacheEpochs(), plan.cacheBatches());
            log.flush();
            try (NDManager sm = manager.newSubManager()) {
                CacheMeasurement base = CacheBench.run(o, teacher, KdBench1.student(teacher, sm), plan.cacheEpochs(),
                        plan.cacheBatches(), null);
                r.put("nocache_epoch_ms", round(base.epochMs(), 0));
                r.put("nocache_epoch_ratio", round(base.ratioToFirst(), 3));
                r.put("nocache_epoch_cpu_ratio", round(base.cpuRatioToFirst(), 3));
                log.printf(Locale.ROOT, "bench: without the cache, epochs took %s ms (ratios %s, by CPU time %s)%n",
                        Arrays.toString(round(base.epochMs(), 0)), Arrays.toString(round(base.ratioToFirst(), 3)),
                        Arrays.toString(round(base.cpuRatioToFirst(), 3)));
            }
        }
        log.printf(Locale.ROOT, "bench: cache experiment, %d epochs x %d batches with is_caching_logits (%s)%n",
                plan.cacheEpochs(), plan.cacheBatches(), plan.cache().describe());
        log.flush();
        try (NDManager sm = manager.newSubManager()) {
            CacheMeasurement c = CacheBench.run(o, teacher, KdBench1.student(teacher, sm), plan.cacheEpochs(),
                    plan.cacheBatches(), plan.cache());
            r.put("cache", plan.cache().describe());
            r.put("cache_mb", round(c.cacheBytes() / 1048576.0, 1));
            r.put("cache_epoch_ms", round(c.epochMs(), 0));
            r.put("cache_epoch_ratio", round(c.ratioToFirst(), 3));
            r.put("cache_epoch_cpu_ratio", round(c.cpuRatioToFirst(), 3));
            r.put("cache_peak_rss_mb", round(c.peakRssMb(), 1));
            log.printf(Locale.ROOT, "bench: with the cache (%.1f MB), epochs took %s ms (ratios %s, by CPU time %s)%n",
                    c.cacheBytes() / 1048576.0, Arrays.toString(round(c.epochMs(), 0)),
                    Arrays.toString(round(c.ratioToFirst(), 3)), Arrays.toString(round(c.cpuRatioToFirst(), 3)));
        }
    }

    private static void putRssTrace(Map<String, Object> r, TrainingMeasurement t, PrintWriter log) {
        int[] steps = t.rssSteps();
        double[] mb = t.rssMb();
        Map<String, Object> trace = new LinkedHashMap<>();
        for (int i = 0; i < steps.length; i++) {
            trace.put(Integer.toString(steps[i]), round(mb[i], 1));
        }
        r.put("rss_mb_by_step", trace);
        // slope over the second half of the samples: the first steps grow the allocator's pools
        int from = steps.length / 2;
        double[] x = new double[steps.length - from];
        double[] y = new double[x.length];
        for (int i = from; i < steps.length; i++) {
            x[i - from] = steps[i];
            y[i - from] = mb[i];
        }
        double slope = Stats.slope(x, y) * 100;
        r.put("rss_slope_mb_per_100_steps", round(slope, 2));
        log.printf(Locale.ROOT, "bench: resident set %s MB by step; slope over the second half %.2f MB per 100 steps%n",
                trace, slope);
    }

    private static String memory() {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "resident %.0f MB, peak %.0f MB, Java heap %.0f of %.0f MB",
                ProcessMemory.rssMb().orElse(Double.NaN), ProcessMemory.peakRssMb().orElse(Double.NaN),
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.totalMemory() / 1048576.0);
    }

    static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static double[] round(double[] v, int digits) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = round(v[i], digits);
        }
        return out;
    }
}
