package ai.distill4j.examples.embedding;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Wall time and machine load of an example run, printed beside its numbers so that a reader can judge timings
 * measured on a shared machine: the cores the JVM sees and the one-minute load average when the run started and
 * when it ended.
 *
 * @param cores available processors
 * @param loadAtStart the one-minute load average at the start, or -1 where the platform has none
 * @param loadAtEnd the one-minute load average at the end, or -1
 * @param wallSeconds wall-clock seconds from start to end
 * @since 0.1.0
 */
public record RunClock(int cores, double loadAtStart, double loadAtEnd, double wallSeconds) {

    /**
     * Starts a clock.
     *
     * @return a running clock
     */
    public static Running start() {
        return new Running(System.nanoTime(), load());
    }

    /**
     * Returns the one-minute load average.
     *
     * @return the load, or -1 where the platform has none
     */
    public static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * Describes the run in one line, e.g. {@code wall 212.4 s on 2 cores, load average 9.8 -> 11.2}.
     *
     * @return the line
     */
    public String describe() {
        return String.format(Locale.ROOT, "wall %.1f s on %d cores, load average %.1f -> %.1f", wallSeconds, cores,
                loadAtStart, loadAtEnd);
    }

    /**
     * A clock that has started and not stopped.
     *
     * @param startNanos {@link System#nanoTime()} at the start
     * @param loadAtStart the load average at the start
     */
    public record Running(long startNanos, double loadAtStart) {

        /**
         * Returns the seconds since the start.
         *
         * @return elapsed seconds
         */
        public double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        /**
         * Stops the clock.
         *
         * @return the finished clock
         */
        public RunClock stop() {
            return new RunClock(Runtime.getRuntime().availableProcessors(), loadAtStart, load(), seconds());
        }
    }
}
