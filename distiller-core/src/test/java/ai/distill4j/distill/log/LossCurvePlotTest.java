package ai.distill4j.distill.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvePlotTest {

    @TempDir
    Path dir;

    private static List<MetricsRow> rows(int n) {
        List<MetricsRow> rows = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            Map<String, Double> terms = new LinkedHashMap<>();
            terms.put("unweighted_kd_loss", 0.7 * Math.exp(-b / 40.0) + 0.01);
            terms.put("unweighted_hidden_hidden_mse_0_0", 2.0 * Math.exp(-b / 25.0) + 0.05);
            rows.add(new MetricsRow(b, b / 2, 0.1, 3.0 * Math.exp(-b / 30.0) + 0.1, terms));
        }
        return rows;
    }

    private static List<EvalRow> evals() {
        return List.of(new EvalRow(20, Map.of("accuracy", 0.55)), new EvalRow(40, Map.of("accuracy", 0.71)),
                new EvalRow(60, Map.of("accuracy", 0.78)));
    }

    @Test
    void writesAPngWithEveryCurveInItsPaletteColour() throws IOException {
        Path png = dir.resolve("plots/curves.png");
        LossCurvePlot.builder().optTitle("trajectory-general").build().write(rows(120), evals(), png);
        assertTrue(Files.size(png) > 10_000, "size " + Files.size(png));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        assertEquals(800, image.getHeight());
        // total loss (colour 0) and both terms (1, 2) are drawn; eval accuracy is colour 0 of the lower panel
        for (int k = 0; k < 3; k++) {
            int pixels = pixelsNear(image, LossCurvePlot.PALETTE.get(k), 0, image.getHeight());
            assertTrue(pixels > 300, "colour " + k + ": " + pixels + " pixels");
        }
        int lowerPanelBlue = pixelsNear(image, LossCurvePlot.PALETTE.get(0), (int) (800 * 0.62), 800);
        assertTrue(lowerPanelBlue > 150, "eval curve: " + lowerPanelBlue);
        assertEquals(0, pixelsNear(image, LossCurvePlot.PALETTE.get(5), 0, image.getHeight()),
                "no sixth curve exists");
    }

    @Test
    void readsTheLogFilesItself() throws IOException {
        Path metrics = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(metrics)) {
            for (MetricsRow r : rows(50)) {
                log.write(r.batch(), r.step(), r.learningRate(), r.totalLoss(), r.terms());
            }
        }
        Path png = dir.resolve("curves.png");
        LossCurvePlot.builder().optSize(640, 400).optLogScale(true).build()
                .write(metrics, dir.resolve("eval.jsonl"), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(640, image.getWidth());
        assertTrue(pixelsNear(image, LossCurvePlot.PALETTE.get(0), 0, 400) > 100);
    }

    @Test
    void logScaleLeavesOutNonPositiveValuesInsteadOfFailing() {
        List<MetricsRow> rows = List.of(new MetricsRow(0, 0, 0.1, 0.0, Map.of()),
                new MetricsRow(1, 0, 0.1, Double.NaN, Map.of()), new MetricsRow(2, 1, 0.1, 1.0, Map.of()),
                new MetricsRow(3, 1, 0.1, 0.5, Map.of()));
        BufferedImage image = LossCurvePlot.builder().optLogScale(true).build().render(rows, List.of());
        assertTrue(pixelsNear(image, LossCurvePlot.PALETTE.get(0), 0, image.getHeight()) > 50);
    }

    @Test
    void anEmptyLogStillGivesAnImage() {
        BufferedImage image = LossCurvePlot.builder().build().render(List.of(), List.of());
        assertEquals(0, pixelsNear(image, LossCurvePlot.PALETTE.get(0), 0, image.getHeight()));
    }

    @Test
    void rejectsATinyImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LossCurvePlot.builder().optSize(10, 400).build());
        assertTrue(e.getMessage().startsWith("width"), e.getMessage());
    }

    private static int pixelsNear(BufferedImage image, Color colour, int fromY, int toY) {
        int count = 0;
        for (int y = fromY; y < toY; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int d = Math.abs(((rgb >> 16) & 0xff) - colour.getRed())
                        + Math.abs(((rgb >> 8) & 0xff) - colour.getGreen()) + Math.abs((rgb & 0xff) - colour.getBlue());
                if (d < 30) {
                    count++;
                }
            }
        }
        return count;
    }
}
