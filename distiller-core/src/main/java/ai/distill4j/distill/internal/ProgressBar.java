package ai.distill4j.distill.internal;

import java.io.Closeable;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A console progress line for training: position, a bar (when the total is known), rate, time left and the current
 * loss, e.g.
 *
 * <pre>{@code
 * epoch 1/3  45/100 steps [#########...........]  45% | 3.21 steps/s | ETA 0:17 | loss 1.2346
 * }</pre>
 *
 * <p>On a terminal the line is redrawn in place (at most every {@code redrawInterval}, 100 ms by default). When the
 * output is not a terminal (a log file, CI) it prints one plain line every {@code quietInterval} (30 s by default),
 * plus one at the first update and one at {@link #close()}, so logs stay short. A disabled bar prints nothing.
 * {@link #message} prints a line of its own (e.g. "Saving checkpoint step-100") without garbling the bar.
 *
 * <p>Instances are thread-safe.
 *
 * @since 0.1.0
 */
public final class ProgressBar implements Closeable {

    private final long total;
    private final String unit;
    private final String units;
    private final PrintStream out;
    private final boolean interactive;
    private final boolean enabled;
    private final long quietNanos;
    private final long redrawNanos;
    private final LongSupplier clock;
    private final int barWidth;
    private final long initial;
    private final long startNanos;

    private long done;
    private double loss = Double.NaN;
    private String description = "";
    private long lastPrintNanos;
    private boolean printedAny;
    private int lastLength;
    private boolean closed;

    private ProgressBar(Builder b) {
        this.total = b.total;
        this.unit = b.unit;
        this.units = plural(b.unit);
        this.out = b.out;
        this.interactive = b.interactive != null ? b.interactive : detectTerminal();
        this.enabled = b.enabled;
        this.quietNanos = b.quietInterval.toNanos();
        this.redrawNanos = b.redrawInterval.toNanos();
        this.clock = b.clock;
        this.barWidth = b.barWidth;
        this.initial = b.initial;
        this.done = b.initial;
        this.startNanos = clock.getAsLong();
    }

    /**
     * Returns a builder; only the total is usually set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns whether this bar redraws in place (a terminal) rather than printing periodic lines.
     *
     * @return true for in-place redrawing
     */
    public boolean isInteractive() {
        return interactive;
    }

    /**
     * Sets the text shown before the position, e.g. {@code "epoch 2/3"}.
     *
     * @param text the description; null or empty for none
     */
    public synchronized void setDescription(String text) {
        this.description = text == null ? "" : text;
    }

    /**
     * Moves the bar to a position, keeping the last loss shown.
     *
     * @param position units done so far (counting any initial position)
     */
    public void update(long position) {
        update(position, Double.NaN);
    }

    /**
     * Moves the bar to a position and shows a loss.
     *
     * @param position units done so far (counting any initial position)
     * @param currentLoss the loss to show; NaN keeps the previous one
     */
    public synchronized void update(long position, double currentLoss) {
        if (closed) {
            throw new IllegalStateException("the progress bar is closed");
        }
        this.done = position;
        if (!Double.isNaN(currentLoss)) {
            this.loss = currentLoss;
        }
        if (!enabled) {
            return;
        }
        long now = clock.getAsLong();
        boolean finished = total > 0 && position >= total;
        long interval = interactive ? redrawNanos : quietNanos;
        if (!printedAny || finished && interactive || now - lastPrintNanos >= interval) {
            print(now);
        }
    }

    /**
     * Prints a line of text above the bar (or, when not a terminal, between the periodic lines).
     *
     * @param line the text
     */
    public synchronized void message(String line) {
        if (!enabled) {
            return;
        }
        if (interactive && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.println(line);
            out.print(pad(render(clock.getAsLong())));
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Prints the final state and ends the line. Further updates are refused. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!enabled) {
            return;
        }
        long now = clock.getAsLong();
        if (interactive) {
            out.print(pad(render(now)));
            out.println();
        } else if (!printedAny || lastPrintNanos != now) {
            out.println(render(now));
        }
        out.flush();
    }

    /**
     * Renders the progress line as of a clock reading, without printing it.
     *
     * @param nowNanos a reading of the bar's clock
     * @return the line, without line breaks
     */
    synchronized String render(long nowNanos) {
        StringBuilder line = new StringBuilder(100);
        if (!description.isEmpty()) {
            line.append(description).append("  ");
        }
        double elapsed = (nowNanos - startNanos) / 1e9;
        double rate = elapsed > 0 && done > initial ? (done - initial) / elapsed : Double.NaN;
        if (total > 0) {
            line.append(done).append('/').append(total).append(' ').append(units).append(' ');
            int filled = (int) Math.min(barWidth, Math.max(0, barWidth * done / total));
            line.append('[').append("#".repeat(filled)).append(".".repeat(barWidth - filled)).append("] ");
            line.append(String.format(Locale.ROOT, "%3d%%", Math.min(100, Math.max(0, 100 * done / total))));
        } else {
            line.append(done).append(' ').append(units);
        }
        line.append(" | ");
        if (Double.isNaN(rate)) {
            line.append("? ").append(units).append("/s");
        } else if (rate >= 1) {
            line.append(String.format(Locale.ROOT, "%.2f %s/s", rate, units));
        } else {
            line.append(String.format(Locale.ROOT, "%.2f s/%s", 1 / rate, unit));
        }
        if (total > 0 && done < total) {
            line.append(" | ETA ").append(Double.isNaN(rate) ? "?" : duration((total - done) / rate));
        } else {
            line.append(" | elapsed ").append(duration(elapsed));
        }
        if (!Double.isNaN(loss)) {
            line.append(" | loss ").append(number(loss));
        }
        return line.toString();
    }

    private void print(long now) {
        String line = render(now);
        if (interactive) {
            out.print(pad(line));
        } else {
            out.println(line);
        }
        out.flush();
        lastPrintNanos = now;
        printedAny = true;
    }

    private String pad(String line) {
        String padded = "\r" + line + (line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "");
        lastLength = line.length();
        return padded;
    }

    private static String number(double value) {
        double abs = Math.abs(value);
        if (abs != 0 && (abs < 1e-3 || abs >= 1e5) || !Double.isFinite(value)) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String plural(String word) {
        boolean sibilant = word.endsWith("s") || word.endsWith("x") || word.endsWith("ch") || word.endsWith("sh");
        return word + (sibilant ? "es" : "s");
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    private static boolean detectTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * Builds a {@link ProgressBar}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private long total;
        private String unit = "step";
        private PrintStream out = System.err;
        private Boolean interactive;
        private boolean enabled = true;
        private Duration quietInterval = Duration.ofSeconds(30);
        private Duration redrawInterval = Duration.ofMillis(100);
        private LongSupplier clock = System::nanoTime;
        private int barWidth = 20;
        private long initial;

        private Builder() {}

        /**
         * Sets the total number of units; 0 (the default) means unknown: no bar, percentage or ETA.
         *
         * @param total the total, {@code >= 0}
         * @return this builder
         */
        public Builder setTotal(long total) {
            this.total = total;
            return this;
        }

        /**
         * Sets the unit name, singular (default {@code step}).
         *
         * @param unit e.g. {@code step} or {@code batch}
         * @return this builder
         */
        public Builder optUnit(String unit) {
            this.unit = unit;
            return this;
        }

        /**
         * Sets where the bar is printed (default {@code System.err}).
         *
         * @param out the stream
         * @return this builder
         */
        public Builder optOutput(PrintStream out) {
            this.out = out;
            return this;
        }

        /**
         * Forces in-place redrawing on or off; by default it is on when the JVM has a console and {@code TERM} is
         * not {@code dumb}.
         *
         * @param interactive whether to redraw in place
         * @return this builder
         */
        public Builder optInteractive(boolean interactive) {
            this.interactive = interactive;
            return this;
        }

        /**
         * Turns the bar off entirely (default on).
         *
         * @param enabled false prints nothing
         * @return this builder
         */
        public Builder optEnabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Sets the time between lines when the output is not a terminal (default 30 s).
         *
         * @param interval a positive duration
         * @return this builder
         */
        public Builder optQuietInterval(Duration interval) {
            this.quietInterval = interval;
            return this;
        }

        /**
         * Sets the minimum time between redraws on a terminal (default 100 ms).
         *
         * @param interval a positive duration
         * @return this builder
         */
        public Builder optRedrawInterval(Duration interval) {
            this.redrawInterval = interval;
            return this;
        }

        /**
         * Sets the starting position, e.g. the step a resumed run starts from; the rate counts only units done
         * after it.
         *
         * @param position the initial position, {@code >= 0}
         * @return this builder
         */
        public Builder optInitial(long position) {
            this.initial = position;
            return this;
        }

        /**
         * Sets the width of the bar in characters (default 20).
         *
         * @param width at least 1
         * @return this builder
         */
        public Builder optBarWidth(int width) {
            this.barWidth = width;
            return this;
        }

        /**
         * Sets the clock, a nanosecond counter like {@link System#nanoTime()} (for tests).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder optClock(LongSupplier clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Builds the bar; its clock starts now.
         *
         * @return the bar
         * @throws IllegalArgumentException if a setting is out of range; the message names it
         */
        public ProgressBar build() {
            if (total < 0) {
                throw new IllegalArgumentException("total must be >= 0 (0 = unknown), got " + total);
            }
            if (initial < 0) {
                throw new IllegalArgumentException("initial must be >= 0, got " + initial);
            }
            if (barWidth < 1) {
                throw new IllegalArgumentException("barWidth must be >= 1, got " + barWidth);
            }
            if (unit == null || unit.isBlank()) {
                throw new IllegalArgumentException("unit must not be blank, got '" + unit + "'");
            }
            Objects.requireNonNull(out, "output");
            Objects.requireNonNull(clock, "clock");
            if (quietInterval == null || quietInterval.isNegative() || quietInterval.isZero()) {
                throw new IllegalArgumentException("quietInterval must be positive, got " + quietInterval);
            }
            if (redrawInterval == null || redrawInterval.isNegative()) {
                throw new IllegalArgumentException("redrawInterval must be >= 0, got " + redrawInterval);
            }
            return new ProgressBar(this);
        }
    }
}
