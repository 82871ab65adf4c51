package ai.distill4j.examples.bench;

import java.util.Map;

/**
 * What a timed training run measured.
 *
 * @param steps timed optimizer steps
 * @param warmup untimed steps before them
 * @param samplesPerSecond rows per second over the timed steps
 * @param msPerStep mean milliseconds per timed step
 * @param medianStepMs median milliseconds per timed step
 * @param gflops model GFLOP per second over the timed steps
 * @param cpuMsPerStep process CPU time (all threads) per timed step, milliseconds; NaN where unavailable
 * @param phaseMsPerStep the engine's own split of the time (teacher forward, student forward and backward, clipping
 *     and update, ...), milliseconds per step over all steps including warm-up
 * @param stepMs the duration of each timed step
 * @param rssSteps steps at which the resident set was sampled (empty unless asked for)
 * @param rssMb the samples, megabytes
 * @since 0.1.0
 */
public record TrainingMeasurement(
        int steps,
        int warmup,
        double samplesPerSecond,
        double msPerStep,
        double medianStepMs,
        double gflops,
        double cpuMsPerStep,
        Map<String, Double> phaseMsPerStep,
        double[] stepMs,
        int[] rssSteps,
        double[] rssMb) {}
