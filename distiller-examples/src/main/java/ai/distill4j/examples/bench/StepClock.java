package ai.distill4j.examples.bench;

import ai.distill4j.distill.callback.Callback;
import java.util.Arrays;

/**
 * A training callback that stamps the time after every optimizer step (as the TextBrewer side of the comparison
 * stamps {@code optimizer.step()}), with the process's CPU time, and optionally samples the resident set size.
 *
 * @since 0.1.0
 */
public final class StepClock implements Callback {

    private final int rssEvery;
    private long[] stamps = new long[64];
    private long[] cpu = new long[64];
    private int count;
    private double[] rss = new double[16];
    private int[] rssSteps = new int[16];
    private int rssCount;

    /**
     * Creates a clock.
     *
     * @param rssEvery sample the resident set every this many steps; 0 for never
     * @throws IllegalArgumentException when negative
     */
    public StepClock(int rssEvery) {
        if (rssEvery < 0) {
            throw new IllegalArgumentException("rssEvery = " + rssEvery + ": must be >= 0");
        }
        this.rssEvery = rssEvery;
    }

    /** {@inheritDoc} */
    @Override
    public void onStep(int step, double learningRate) {
        if (count == stamps.length) {
            stamps = Arrays.copyOf(stamps, count * 2);
            cpu = Arrays.copyOf(cpu, count * 2);
        }
        cpu[count] = ProcessMemory.cpuNanos();
        stamps[count++] = System.nanoTime();
        if (rssEvery > 0 && step % rssEvery == 0) {
            if (rssCount == rss.length) {
                rss = Arrays.copyOf(rss, rssCount * 2);
                rssSteps = Arrays.copyOf(rssSteps, rssCount * 2);
            }
            rss[rssCount] = ProcessMemory.rssMb().orElse(Double.NaN);
            rssSteps[rssCount++] = step;
        }
    }

    /**
     * Returns the number of steps stamped.
     *
     * @return the count
     */
    public int steps() {
        return count;
    }

    /**
     * Returns the {@link System#nanoTime()} stamps, one per step.
     *
     * @return a copy
     */
    public long[] stamps() {
        return Arrays.copyOf(stamps, count);
    }

    /**
     * Returns the process's CPU time (all threads) at each stamp.
     *
     * @return nanoseconds, one per step; -1 where unavailable
     */
    public long[] cpuStamps() {
        return Arrays.copyOf(cpu, count);
    }

    /**
     * Returns the duration of each step from {@code from} (0-based) on: the time between its stamp and the previous
     * one.
     *
     * @param from the first step whose duration is wanted, {@code >= 1}
     * @return milliseconds per step
     */
    public double[] stepMillis(int from) {
        if (from < 1 || from > count) {
            throw new IllegalArgumentException("from = " + from + ": must be in [1, " + count + "]");
        }
        double[] out = new double[count - from];
        for (int i = from; i < count; i++) {
            out[i - from] = (stamps[i] - stamps[i - 1]) / 1e6;
        }
        return out;
    }

    /**
     * Returns the steps at which the resident set was sampled.
     *
     * @return 1-based step numbers
     */
    public int[] rssSteps() {
        return Arrays.copyOf(rssSteps, rssCount);
    }

    /**
     * Returns the resident set samples.
     *
     * @return megabytes, one per {@link #rssSteps()} entry
     */
    public double[] rssMb() {
        return Arrays.copyOf(rss, rssCount);
    }
}
