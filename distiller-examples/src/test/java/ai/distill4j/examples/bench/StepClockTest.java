package ai.distill4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepClockTest {

    @Test
    void stampsEveryStepAndSamplesTheResidentSetEveryNthStep() throws InterruptedException {
        StepClock clock = new StepClock(2);
        for (int step = 1; step <= 100; step++) {
            clock.onStep(step, 1e-4);
            if (step == 50) {
                Thread.sleep(5);
            }
        }
        assertEquals(100, clock.steps());
        long[] stamps = clock.stamps();
        for (int i = 1; i < stamps.length; i++) {
            assertTrue(stamps[i] >= stamps[i - 1]);
        }
        double[] ms = clock.stepMillis(1);
        assertEquals(99, ms.length);
        assertTrue(ms[49] >= 5, "the 5 ms pause falls between steps 50 and 51: " + ms[49]);
        assertEquals(50, clock.rssSteps().length);
        assertArrayEquals(new int[] {2, 4, 6}, java.util.Arrays.copyOf(clock.rssSteps(), 3));
        assertTrue(clock.rssMb()[0] > 0, "this JVM's resident set");
        assertThrows(IllegalArgumentException.class, () -> clock.stepMillis(0));
        assertThrows(IllegalArgumentException.class, () -> new StepClock(-1));
    }
}
