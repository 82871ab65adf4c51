package ai.distill4j.examples.bench;

import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.GeneralDistiller;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.model.bert.BertModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times KD-BENCH-1's training: {@code warmup + steps} optimizer steps of the real {@link GeneralDistiller} (the code
 * path users run, with its metrics log and a final checkpoint into a temporary folder that is deleted afterwards),
 * stamped after every optimizer step. Samples per second are taken over the timed steps only, from the stamp of the
 * last warm-up step to the stamp of the last step.
 *
 * @since 0.1.0
 */
public final class TrainingBench {

    private TrainingBench() {}

    /**
     * Runs and times the training.
     *
     * @param options the sizes ({@code steps >= 1})
     * @param teacher the teacher (frozen by the distiller)
     * @param student the student (trained in place)
     * @param rssEvery sample the resident set every this many steps (0: never)
     * @param profile where to write a Chrome trace of PyTorch's operators over the timed steps, or {@code null}
     * @return the measurement
     * @throws IOException when the temporary output folder cannot be written
     */
    public static TrainingMeasurement run(BenchOptions options, BertModel teacher, BertModel student, int rssEvery,
            Path profile) throws IOException {
        if (options.steps() < 1) {
            throw new IllegalArgumentException("steps = " + options.steps() + ": training needs at least one step");
        }
        int total = options.totalSteps();
        List<BertBatch> batches = KdBench1.batches(total, options.batchSize(), options.seqLength(), options.seed());
        StepClock clock = new StepClock(rssEvery);
        Path out = Files.createTempDirectory("distill4j-bench");
        TrainResult result;
        long start;
        try {
            TrainingConfig tc = TrainingConfig.builder()
                    .optOutputDir(out.toString())
                    .optCkptSteps(total)
                    .optKeepLastCheckpoints(1)
                    .build();
            TrainOptions.Builder<BertBatch> tob = TrainOptions.<BertBatch>builder(KdBench1.optimizer())
                    .optNumSteps(total)
                    .optMaxGradNorm(KdBench1.MAX_GRAD_NORM)
                    .optSeed(options.seed())
                    .addCallback(clock);
            if (profile != null) {
                tob.addCallback(new ProfileWindow(options.warmup(), total, profile));
            }
            TrainOptions<BertBatch> to = tob.build();
            try (GeneralDistiller<BertBatch> d = new GeneralDistiller<>(tc, KdBench1.distillationConfig(false),
                    KdBench1.adapted(teacher), KdBench1.adapted(student))) {
                start = System.nanoTime();
                result = d.train(to, DataSource.of(batches));
            }
        } finally {
            DurableFiles.deleteRecursively(out);
        }
        long[] stamps = clock.stamps();
        if (stamps.length != total) {
            throw new IllegalStateException("expected " + total + " optimizer steps, saw " + stamps.length);
        }
        long from = options.warmup() == 0 ? start : stamps[options.warmup() - 1];
        double seconds = (stamps[total - 1] - from) / 1e9;
        int timed = options.steps();
        double sps = (double) options.batchSize() * timed / seconds;
        double msPerStep = seconds * 1000 / timed;
        double[] stepMs = options.warmup() == 0 ? prepend((stamps[0] - start) / 1e6, clock.stepMillis(1))
                : clock.stepMillis(options.warmup());
        double flops = KdBench1.stepFlops(options.batchSize(), options.seqLength(), teacher.config(),
                student.config());
        long[] cpu = clock.cpuStamps();
        double cpuMs = Double.NaN;
        if (options.warmup() > 0 && cpu[options.warmup() - 1] >= 0) {
            cpuMs = (cpu[total - 1] - cpu[options.warmup() - 1]) / 1e6 / timed;
        }
        Map<String, Double> phases = new LinkedHashMap<>();
        for (Map.Entry<String, Duration> e : result.timings().entrySet()) {
            if (!e.getKey().equals("total")) {
                phases.put(e.getKey(), e.getValue().toNanos() / 1e6 / total);
            }
        }
        return new TrainingMeasurement(timed, options.warmup(), sps, msPerStep, Stats.median(stepMs),
                flops * timed / seconds / 1e9, cpuMs, phases, stepMs, clock.rssSteps(), clock.rssMb());
    }

    private static double[] prepend(double first, double[] rest) {
        double[] out = new double[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

}
