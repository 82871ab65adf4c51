package ai.distill4j.distill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(0);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsPositionBarRateEtaAndLoss() {
        ProgressBar bar = ProgressBar.builder().setTotal(100).optOutput(out).optInteractive(true)
                .optClock(now::get).build();
        bar.setDescription("epoch 1/3");
        now.set(10 * SECOND);
        assertEquals("epoch 1/3  25/100 steps [#####...............]  25% | 2.50 steps/s | ETA 0:30 | loss 1.2346",
                render(bar, 25, 1.23456));
    }

    private String render(ProgressBar bar, long position, double loss) {
        bar.update(position, loss);
        return bar.render(now.get());
    }

    @Test
    void slowRatesAreShownAsSecondsPerUnitAndLongEtasWithHours() {
        ProgressBar bar = ProgressBar.builder().setTotal(10_000).optOutput(out).optInteractive(true)
                .optClock(now::get).build();
        now.set(4 * SECOND);
        bar.update(2);
        String line = bar.render(now.get());
        assertTrue(line.contains("2.00 s/step"), line);
        assertTrue(line.contains("ETA 5:33:16"), line);
    }

    @Test
    void rateOfAResumedRunCountsOnlyNewSteps() {
        ProgressBar bar = ProgressBar.builder().setTotal(100).optInitial(50).optOutput(out).optInteractive(false)
                .optClock(now::get).build();
        now.set(5 * SECOND);
        bar.update(60);
        assertTrue(bar.render(now.get()).contains("2.00 steps/s | ETA 0:20"), bar.render(now.get()));
    }

    @Test
    void onATerminalRedrawsInPlaceAtMostEveryRedrawInterval() {
        ProgressBar bar = ProgressBar.builder().setTotal(10).optOutput(out).optInteractive(true)
                .optRedrawInterval(Duration.ofMillis(100)).optClock(now::get).build();
        for (int i = 1; i <= 5; i++) {
            now.addAndGet(10_000_000L); // 10 ms apart
            bar.update(i, 1.0);
        }
        assertEquals(1, count(printed(), "\r"), "one redraw within 100 ms");
        now.addAndGet(200_000_000L);
        bar.update(6);
        assertEquals(2, count(printed(), "\r"));
        assertFalse(printed().contains("\n"));
        bar.close();
        assertTrue(printed().endsWith("\n"));
        assertTrue(printed().contains("6/10 steps"));
    }

    @Test
    void offATerminalPrintsOneLinePerQuietInterval() {
        ProgressBar bar = ProgressBar.builder().setTotal(1000).optOutput(out).optInteractive(false)
                .optQuietInterval(Duration.ofSeconds(30)).optClock(now::get).build();
        for (int i = 1; i <= 1000; i++) {
            now.addAndGet(100_000_000L); // 0.1 s per step, 100 s in all
            bar.update(i, 2.0 / i);
        }
        bar.close();
        String text = printed();
        assertFalse(text.contains("\r"));
        // the first update, then at 30.1 s, 60.2 s, 90.3 s, then the final line at close
        assertEquals(5, count(text, "\n"), text);
        assertTrue(text.strip().endsWith("loss 0.0020"), text);
        assertTrue(text.contains("1000/1000 steps [####################] 100% | 10.00 steps/s | elapsed 1:40"), text);
    }

    @Test
    void aDisabledBarPrintsNothing() {
        ProgressBar bar = ProgressBar.builder().setTotal(10).optOutput(out).optEnabled(false).build();
        bar.update(5, 1.0);
        bar.message("saving");
        bar.close();
        assertEquals("", printed());
    }

    @Test
    void messagesGoAboveTheBarOnATerminal() {
        ProgressBar bar = ProgressBar.builder().setTotal(10).optOutput(out).optInteractive(true)
                .optClock(now::get).build();
        bar.update(3, 1.0);
        bar.message("Saving checkpoint step-3");
        String text = printed();
        int message = text.indexOf("Saving checkpoint step-3\n");
        assertTrue(message > 0, text);
        assertTrue(text.substring(message).contains("3/10 steps"), "bar redrawn below the message: " + text);
    }

    @Test
    void unknownTotalShowsCountAndElapsed() {
        ProgressBar bar = ProgressBar.builder().optUnit("batch").optOutput(out).optInteractive(true)
                .optClock(now::get).build();
        now.set(2 * SECOND);
        bar.update(8);
        assertEquals("8 batches | 4.00 batches/s | elapsed 0:02", bar.render(now.get()));
    }

    @Test
    void rejectsBadSettingsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProgressBar.builder().setTotal(-1).build());
        assertTrue(e.getMessage().startsWith("total"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ProgressBar.builder().optQuietInterval(Duration.ZERO).build());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
