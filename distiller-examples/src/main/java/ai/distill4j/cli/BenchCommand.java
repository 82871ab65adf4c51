package ai.distill4j.cli;

import ai.distill4j.distill.TeacherCacheConfig;
import ai.distill4j.examples.bench.BenchOptions;
import ai.distill4j.examples.bench.BenchPlan;
import ai.distill4j.examples.bench.BenchSuite;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j bench}: runs KD-BENCH-1 (see {@code docs/performance.md}) and prints one JSON object as the last
 * line of stdout; progress goes to stderr.
 *
 * @since 0.1.0
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure distillation speed on KD-BENCH-1.",
            "Teacher all-MiniLM-L6-v2, 3-layer student, trained with the real",
            "GeneralDistiller on random batches. Prints one JSON line on stdout:",
            "samples_per_s, ms_per_step, gflops, gemm_peak_gflops, mfu, peak_rss_mb,",
            "threads, ... Warm-up steps are not timed. Progress goes to stderr."
        },
        footer = {
            "",
            "Examples:",
            "  distill4j bench",
            "  distill4j bench --inference",
            "  distill4j bench --steps 2 --warmup 1          # smoke run",
            "  distill4j bench --steps 0 --cache-epochs 3 --cache-baseline",
            "  distill4j bench --steps 0 --cache-epochs 3 --cache-float16 --cache-dir /tmp",
            "  distill4j bench --steps 500 --warmup 0 --rss-every 25"
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20",
            description = "Timed training steps; 0 skips the training measurement (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
            description = "Untimed steps before them (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "PyTorch threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "32",
            description = "Rows per batch (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--seq", paramLabel = "S", defaultValue = "128",
            description = "Tokens per row (default: ${DEFAULT-VALUE}).")
    private int seq;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the random batches and the run (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--inference",
            description = "Also measure teacher and student forward latency at batch 1 and at --batch.")
    private boolean inference;

    @Option(names = "--cache-epochs", paramLabel = "N", defaultValue = "0",
            description = "Run the teacher-output cache experiment over N epochs (0: off; KD-BENCH-1 uses 3).")
    private int cacheEpochs;

    @Option(names = "--cache-batches", paramLabel = "N", defaultValue = "20",
            description = "Batches per epoch of the cache experiment (default: ${DEFAULT-VALUE}).")
    private int cacheBatches;

    @Option(names = "--cache-baseline", description = "Also run the cache experiment without the cache.")
    private boolean cacheBaseline;

    @Option(names = "--cache-float16", description = "Cache experiment: store the teacher's outputs as float16.")
    private boolean cacheFloat16;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Cache experiment: keep the teacher's outputs in a scratch file in DIR (default: memory).")
    private Path cacheDir;

    @Option(names = "--cache-budget-mb", paramLabel = "MB", defaultValue = "0",
            description = "Cache experiment: cap the cache at MB megabytes (0: no cap).")
    private long cacheBudgetMb;

    @Option(names = "--rss-every", paramLabel = "N", defaultValue = "0",
            description = "Sample the resident set every N training steps and report its slope (0: off).")
    private int rssEvery;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Write a Chrome trace of PyTorch's operators over the timed training steps.")
    private Path profile;

    /** Picocli instantiates this. */
    public BenchCommand() {}

    @Override
    public Integer call() throws IOException {
        BenchPlan plan = new BenchPlan(new BenchOptions(steps, warmup, threads, batch, seq, seed), inference,
                cacheEpochs, cacheBatches, cacheBaseline, rssEvery, profile,
                new TeacherCacheConfig(cacheFloat16, cacheDir, cacheBudgetMb * 1048576L));
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> report = BenchSuite.run(plan, err);
        PrintWriter out = spec.commandLine().getOut();
        out.println(new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(report));
        out.flush();
        return 0;
    }
}
