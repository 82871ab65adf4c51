package ai.distill4j.examples.bench;

import java.util.Arrays;

/**
 * Order statistics of timing samples.
 *
 * @since 0.1.0
 */
public final class Stats {

    private Stats() {}

    /**
     * Returns the median: the middle value, or the mean of the two middle values for an even count.
     *
     * @param samples the samples (not modified)
     * @return the median
     * @throws IllegalArgumentException when there are no samples
     */
    public static double median(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("median of no samples");
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * Returns the least-squares slope of {@code y} over {@code x}.
     *
     * @param x the abscissae
     * @param y the ordinates, as many as {@code x}
     * @return the slope, 0 when fewer than two points or all {@code x} are equal
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double slope(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("slope: " + x.length + " x values but " + y.length + " y values");
        }
        int n = x.length;
        if (n < 2) {
            return 0;
        }
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
