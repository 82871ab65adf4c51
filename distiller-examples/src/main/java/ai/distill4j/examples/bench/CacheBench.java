package ai.distill4j.examples.bench;

import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.GeneralDistiller;
import ai.distill4j.distill.TeacherCacheConfig;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.model.bert.BertModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The teacher-output cache experiment: a {@code epochs}-epoch run of KD-BENCH-1 over a fixed list of batches, with
 * {@code is_caching_logits} on (stored as a {@link TeacherCacheConfig} says) or off, timed per epoch in wall-clock and
 * process CPU time. With the cache, only the first epoch runs the teacher; the
 * later epochs read its stored outputs. One checkpoint is written, after the last step (outside the timing).
 *
 * @since 0.1.0
 */
public final class CacheBench {

    private CacheBench() {}

    /**
     * Runs and times the epochs.
     *
     * @param options the sizes (batch, sequence length, seed)
     * @param teacher the teacher
     * @param student the student (trained in place)
     * @param epochs the number of epochs, {@code >= 2}
     * @param batches batches per epoch, {@code >= 1}
     * @param cache how the teacher's outputs are cached, or {@code null} for no cache
     * @return the epoch times
     * @throws IOException when the temporary output folder cannot be written
     */
    public static CacheMeasurement run(BenchOptions options, BertModel teacher, BertModel student, int epochs,
            int batches, TeacherCacheConfig cache) throws IOException {
        if (epochs < 2 || batches < 1) {
            throw new IllegalArgumentException("cache experiment: epochs = " + epochs + ", batches = " + batches
                    + ": need epochs >= 2 and batches >= 1");
        }
        List<BertBatch> data = KdBench1.batches(batches, options.batchSize(), options.seqLength(), options.seed());
        StepClock clock = new StepClock(0);
        Path out = Files.createTempDirectory("distill4j-bench-cache");
        long start;
        long startCpu;
        long cacheBytes;
        try {
            TrainingConfig tc = TrainingConfig.builder()
                    .optOutputDir(out.toString())
                    .optCkptEpochFrequency(epochs)
                    .optKeepLastCheckpoints(1)
                    .build();
            TrainOptions<BertBatch> to = TrainOptions.<BertBatch>builder(KdBench1.optimizer())
                    .optNumEpochs(epochs)
                    .optMaxGradNorm(KdBench1.MAX_GRAD_NORM)
                    .optSeed(options.seed())
                    .addCallback(clock)
                    .build();
            try (GeneralDistiller<BertBatch> d = new GeneralDistiller<>(tc,
                    KdBench1.distillationConfig(cache != null), KdBench1.adapted(teacher),
                    KdBench1.adapted(student))) {
                if (cache != null) {
                    d.optTeacherCache(cache);
                }
                startCpu = ProcessMemory.cpuNanos();
                start = System.nanoTime();
                d.train(to, DataSource.of(data));
                cacheBytes = d.teacherCacheBytes();
            }
        } finally {
            DurableFiles.deleteRecursively(out);
        }
        long[] stamps = clock.stamps();
        if (stamps.length != epochs * batches) {
            throw new IllegalStateException("expected " + epochs * batches + " optimizer steps, saw " + stamps.length);
        }
        long[] cpu = clock.cpuStamps();
        double[] epochMs = new double[epochs];
        double[] epochCpuMs = new double[epochs];
        long prev = start;
        long prevCpu = startCpu;
        for (int e = 0; e < epochs; e++) {
            int last = (e + 1) * batches - 1;
            epochMs[e] = (stamps[last] - prev) / 1e6;
            epochCpuMs[e] = startCpu < 0 ? Double.NaN : (cpu[last] - prevCpu) / 1e6;
            prev = stamps[last];
            prevCpu = cpu[last];
        }
        return new CacheMeasurement(cache, batches, epochMs, epochCpuMs, cacheBytes,
                ProcessMemory.peakRssMb().orElse(Double.NaN));
    }
}
