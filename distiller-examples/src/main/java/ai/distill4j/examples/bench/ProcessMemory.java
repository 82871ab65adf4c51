package ai.distill4j.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * Reads this process's resident memory from {@code /proc/self/status} (Linux): the current resident set
 * ({@code VmRSS}, Java heap and native memory together) and its peak ({@code VmHWM}); also the process's CPU time
 * and the machine's load average.
 *
 * @since 0.1.0
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /**
     * Returns the current resident set size.
     *
     * @return megabytes (2^20 bytes), empty where {@code /proc} is not available
     */
    public static OptionalDouble rssMb() {
        return field("VmRSS:");
    }

    /**
     * Returns the peak resident set size since the process started.
     *
     * @return megabytes (2^20 bytes), empty where {@code /proc} is not available
     */
    public static OptionalDouble peakRssMb() {
        return field("VmHWM:");
    }

    private static OptionalDouble field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalDouble.of(Long.parseLong(parts[0]) / 1024.0);
                }
            }
            return OptionalDouble.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * Returns the CPU time this process has used so far, over all its threads.
     *
     * @return nanoseconds, or -1 where the JVM does not report it
     */
    public static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Returns the 1-minute load average of the machine.
     *
     * @return the load average, empty where {@code /proc/loadavg} is not available
     */
    public static OptionalDouble loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
            return OptionalDouble.of(Double.parseDouble(s.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }
}
