package ai.distill4j.distill.log;

import ai.distill4j.distill.internal.DurableFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Draws a run's curves into a PNG: every loss term (and the total) against the forward batch, and, when there are
 * evaluations, every evaluation metric against the optimizer step in a second panel below. Axes have round-number
 * ticks and a grid, each panel a legend; the loss panel can use a logarithmic y axis (non-positive values are then
 * left out).
 *
 * <p>Drawing uses {@code java.awt} off screen and sets {@code java.awt.headless=true} unless the property is already
 * set, so it works on servers without a display.
 *
 * @since 0.1.0
 */
public final class LossCurvePlot {

    /** The colours of the curves, in order (the total loss takes the first); they repeat, dashed, after ten. */
    public static final List<Color> PALETTE = List.of(
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf));

    private static final Color GRID = new Color(0xe4e4e4);
    private static final Color AXIS = new Color(0x444444);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final int width;
    private final int height;
    private final boolean logScale;
    private final String title;

    private LossCurvePlot(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.logScale = b.logScale;
        this.title = b.title;
    }

    /**
     * Returns a builder with the defaults: 1200 x 800 pixels, linear axes, no title.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code metrics.jsonl} (and {@code eval.jsonl} if given and present) and writes the PNG.
     *
     * @param metricsFile a file written by {@link MetricsLog}
     * @param evalFile a file written by {@link EvalLog}, or null; a missing file means no evaluations
     * @param png the image to write (replaced atomically)
     * @throws IOException if a log cannot be read or the image cannot be written
     */
    public void write(Path metricsFile, Path evalFile, Path png) throws IOException {
        List<MetricsRow> metrics = MetricsLog.read(metricsFile);
        List<EvalRow> evals = evalFile != null && Files.exists(evalFile) ? EvalLog.read(evalFile) : List.of();
        write(metrics, evals, png);
    }

    /**
     * Draws the rows and writes the PNG.
     *
     * @param metrics the per-batch rows
     * @param evals the evaluation rows; empty for a single panel
     * @param png the image to write (replaced atomically; its folder is created if needed)
     * @throws IOException if the image cannot be written
     */
    public void write(List<MetricsRow> metrics, List<EvalRow> evals, Path png) throws IOException {
        BufferedImage image = render(metrics, evals);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        DurableFiles.replace(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available in this JVM");
            }
        });
    }

    /**
     * Draws the rows into an image.
     *
     * @param metrics the per-batch rows
     * @param evals the evaluation rows; empty for a single panel
     * @return the image, {@code width x height}, RGB
     */
    public BufferedImage render(List<MetricsRow> metrics, List<EvalRow> evals) {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(evals, "evals");
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int top = 0;
            if (title != null && !title.isEmpty()) {
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
                g.setColor(Color.BLACK);
                FontMetrics fm = g.getFontMetrics();
                g.drawString(title, (width - fm.stringWidth(title)) / 2, 10 + fm.getAscent());
                top = 14 + fm.getHeight();
            }
            int available = height - top;
            int lossHeight = evals.isEmpty() ? available : (int) (available * 0.6);
            drawPanel(g, new Rectangle(0, top, width, lossHeight),
                    logScale ? "Training losses (log scale)" : "Training losses", "forward batch",
                    lossSeries(metrics), logScale);
            if (!evals.isEmpty()) {
                drawPanel(g, new Rectangle(0, top + lossHeight, width, available - lossHeight),
                        "Evaluation", "optimizer step", evalSeries(evals), false);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private record Series(String name, double[] x, double[] y) {}

    private static List<Series> lossSeries(List<MetricsRow> rows) {
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        points.put("total_loss", new ArrayList<>());
        for (MetricsRow row : rows) {
            points.get("total_loss").add(new double[] {row.batch(), row.totalLoss()});
            for (Map.Entry<String, Double> t : row.terms().entrySet()) {
                points.computeIfAbsent(t.getKey(), k -> new ArrayList<>()).add(new double[] {row.batch(), t.getValue()});
            }
        }
        return toSeries(points);
    }

    private static List<Series> evalSeries(List<EvalRow> rows) {
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        for (EvalRow row : rows) {
            for (Map.Entry<String, Double> m : row.metrics().entrySet()) {
                points.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(new double[] {row.step(), m.getValue()});
            }
        }
        return toSeries(points);
    }

    private static List<Series> toSeries(Map<String, List<double[]>> points) {
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> e : points.entrySet()) {
            List<double[]> p = e.getValue();
            if (p.isEmpty()) {
                continue;
            }
            double[] x = new double[p.size()];
            double[] y = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                x[i] = p.get(i)[0];
                y[i] = p.get(i)[1];
            }
            series.add(new Series(e.getKey(), x, y));
        }
        return series;
    }

    private void drawPanel(Graphics2D g, Rectangle area, String panelTitle, String xLabel, List<Series> series,
            boolean log) {
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        Rectangle plot = new Rectangle(area.x + 80, area.y + 34, area.width - 80 - 24, area.height - 34 - 52);
        g.setFont(titleFont);
        g.setColor(Color.BLACK);
        g.drawString(panelTitle, plot.x, area.y + 22);
        if (plot.width < 20 || plot.height < 20) {
            return;
        }

        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (usable(s.y[i], log) && Double.isFinite(s.x[i])) {
                    xMin = Math.min(xMin, s.x[i]);
                    xMax = Math.max(xMax, s.x[i]);
                    yMin = Math.min(yMin, s.y[i]);
                    yMax = Math.max(yMax, s.y[i]);
                }
            }
        }
        g.setFont(labelFont);
        if (xMin > xMax) {
            g.setColor(AXIS);
            g.draw(plot);
            g.drawString("no data", plot.x + plot.width / 2 - 20, plot.y + plot.height / 2);
            return;
        }
        Axis xAxis = Axis.linear(xMin, xMax, true);
        Axis yAxis = log ? Axis.log(yMin, yMax) : Axis.linear(yMin, yMax, false);

        // grid and ticks
        FontMetrics fm = g.getFontMetrics();
        for (double t : xAxis.ticks) {
            int px = plot.x + (int) Math.round(xAxis.fraction(t) * plot.width);
            g.setColor(GRID);
            g.drawLine(px, plot.y, px, plot.y + plot.height);
            g.setColor(AXIS);
            g.drawLine(px, plot.y + plot.height, px, plot.y + plot.height + 4);
            String label = xAxis.label(t);
            g.drawString(label, px - fm.stringWidth(label) / 2, plot.y + plot.height + 6 + fm.getAscent());
        }
        for (double t : yAxis.ticks) {
            int py = plot.y + plot.height - (int) Math.round(yAxis.fraction(t) * plot.height);
            g.setColor(GRID);
            g.drawLine(plot.x, py, plot.x + plot.width, py);
            g.setColor(AXIS);
            g.drawLine(plot.x - 4, py, plot.x, py);
            String label = yAxis.label(t);
            g.drawString(label, plot.x - 7 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(AXIS);
        g.draw(plot);
        g.drawString(xLabel, plot.x + (plot.width - fm.stringWidth(xLabel)) / 2,
                plot.y + plot.height + 10 + fm.getAscent() + fm.getHeight());
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        String yLabel = log ? "value (log scale)" : "value";
        g.drawString(yLabel, -(plot.y + (plot.height + fm.stringWidth(yLabel)) / 2), area.x + 16);
        g.setTransform(saved);

        // curves
        Shape clip = g.getClip();
        g.clip(new Rectangle(plot.x, plot.y, plot.width + 1, plot.height + 1));
        for (int k = series.size() - 1; k >= 0; k--) { // the first series (total) drawn last, on top
            Series s = series.get(k);
            g.setColor(PALETTE.get(k % PALETTE.size()));
            g.setStroke(stroke(k));
            Path2D.Double path = new Path2D.Double();
            boolean penDown = false;
            for (int i = 0; i < s.x.length; i++) {
                if (!usable(s.y[i], log) || !Double.isFinite(s.x[i])) {
                    penDown = false;
                    continue;
                }
                double px = plot.x + xAxis.fraction(s.x[i]) * plot.width;
                double py = plot.y + plot.height - yAxis.fraction(s.y[i]) * plot.height;
                if (penDown) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    path.lineTo(px, py); // a lone point still shows
                    penDown = true;
                }
            }
            g.draw(path);
        }
        g.setClip(clip);

        // legend
        int lineHeight = fm.getHeight() + 2;
        int legendWidth = 0;
        for (Series s : series) {
            legendWidth = Math.max(legendWidth, fm.stringWidth(s.name));
        }
        legendWidth += 44;
        int rows = Math.min(series.size(), Math.max(1, (plot.height - 16) / lineHeight));
        int lx = plot.x + plot.width - legendWidth - 8;
        int ly = plot.y + 8;
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(lx, ly, legendWidth, rows * lineHeight + 8);
        g.setColor(new Color(0xbbbbbb));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(lx, ly, legendWidth, rows * lineHeight + 8);
        for (int k = 0; k < rows; k++) {
            int y = ly + 4 + k * lineHeight + lineHeight / 2;
            g.setColor(PALETTE.get(k % PALETTE.size()));
            g.setStroke(stroke(k));
            g.drawLine(lx + 8, y, lx + 32, y);
            g.setColor(Color.BLACK);
            String name = k == rows - 1 && rows < series.size() ? "+" + (series.size() - rows + 1) + " more"
                    : series.get(k).name;
            g.drawString(name, lx + 38, y + fm.getAscent() / 2 - 1);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static Stroke stroke(int k) {
        float w = k == 0 ? 2.5f : 1.6f;
        if (k < PALETTE.size()) {
            return new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        }
        return new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);
    }

    private static boolean usable(double y, boolean log) {
        return Double.isFinite(y) && (!log || y > 0);
    }

    /** An axis: its range (log10 of it for a log axis), its ticks and how to label them. */
    private static final class Axis {
        final double lo;
        final double hi;
        final boolean log;
        final List<Double> ticks = new ArrayList<>();
        final double tickStep;

        private Axis(double lo, double hi, boolean log, double tickStep) {
            this.lo = lo;
            this.hi = hi;
            this.log = log;
            this.tickStep = tickStep;
        }

        static Axis linear(double min, double max, boolean integral) {
            boolean nonNegative = min >= 0;
            if (min == max) {
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= pad;
                max += pad;
            } else if (!integral) {
                double pad = (max - min) * 0.05;
                min -= pad;
                max += pad;
            }
            double step = niceStep((max - min) / 6);
            if (integral) {
                step = Math.max(1, step);
            }
            double lo = integral ? min : Math.floor(min / step) * step;
            if (nonNegative && lo < 0) {
                lo = 0; // losses and accuracies: no axis below zero
            }
            double hi = integral ? max : Math.ceil(max / step) * step;
            Axis axis = new Axis(lo, hi, false, step);
            for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
                axis.ticks.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
            }
            return axis;
        }

        static Axis log(double min, double max) {
            double lo = Math.floor(Math.log10(min));
            double hi = Math.ceil(Math.log10(max));
            if (hi == lo) {
                hi = lo + 1;
            }
            Axis axis = new Axis(lo, hi, true, 1);
            int decades = (int) (hi - lo);
            for (int d = (int) lo; d <= (int) hi; d++) {
                axis.ticks.add(Math.pow(10, d));
                if (decades <= 2 && d < hi) {
                    axis.ticks.add(2 * Math.pow(10, d));
                    axis.ticks.add(5 * Math.pow(10, d));
                }
            }
            return axis;
        }

        double fraction(double value) {
            double v = log ? Math.log10(value) : value;
            return (v - lo) / (hi - lo);
        }

        String label(double value) {
            double abs = Math.abs(value);
            if (value == 0) {
                return "0";
            }
            if (log) {
                return abs >= 1e-3 && abs < 1e5 ? trim(String.format(Locale.ROOT, "%.3f", value))
                        : String.format(Locale.ROOT, "%.0e", value);
            }
            if (abs >= 1e6 || tickStep < 1e-4) {
                return String.format(Locale.ROOT, "%.2e", value);
            }
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(tickStep) + 1e-9));
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }

        private static String trim(String s) {
            if (s.indexOf('.') < 0) {
                return s;
            }
            s = s.replaceAll("0+$", "");
            return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }

        private static double niceStep(double rough) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            double f = rough / magnitude;
            double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
            return nice * magnitude;
        }
    }

    /**
     * Builds a {@link LossCurvePlot}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private int width = 1200;
        private int height = 800;
        private boolean logScale;
        private String title;

        private Builder() {}

        /**
         * Sets the image size in pixels.
         *
         * @param width at least 200
         * @param height at least 150
         * @return this builder
         */
        public Builder optSize(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /**
         * Uses a logarithmic y axis for the losses (default linear).
         *
         * @param logScale true for log scale
         * @return this builder
         */
        public Builder optLogScale(boolean logScale) {
            this.logScale = logScale;
            return this;
        }

        /**
         * Sets a title drawn above the panels.
         *
         * @param title the title, or null for none
         * @return this builder
         */
        public Builder optTitle(String title) {
            this.title = title;
            return this;
        }

        /**
         * Builds the plotter.
         *
         * @return the plotter
         * @throws IllegalArgumentException if the size is too small; the message names the field
         */
        public LossCurvePlot build() {
            if (width < 200) {
                throw new IllegalArgumentException("width must be >= 200 pixels, got " + width);
            }
            if (height < 150) {
                throw new IllegalArgumentException("height must be >= 150 pixels, got " + height);
            }
            return new LossCurvePlot(this);
        }
    }
}
