package ai.distill4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsAreKdBench1() {
        BenchOptions d = BenchOptions.DEFAULTS;
        assertEquals(20, d.steps());
        assertEquals(3, d.warmup());
        assertEquals(2, d.threads());
        assertEquals(32, d.batchSize());
        assertEquals(128, d.seqLength());
        assertEquals(23, d.totalSteps());
    }

    @Test
    void invalidSizesNameTheFieldAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BenchOptions(20, 3, 0, 32, 128, 0));
        assertEquals("threads = 0: must be >= 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BenchOptions(20, 3, 2, 32, 513, 0));
        assertEquals("seq = 513: must be in [1, 512]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BenchOptions(-1, 3, 2, 32, 128, 0));
        assertEquals("steps = -1: must be >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new BenchPlan(BenchOptions.DEFAULTS, false, 1, 20, false, 0, null,
                        ai.distill4j.distill.TeacherCacheConfig.DEFAULT));
        assertEquals("cache-epochs = 1: must be 0 (off) or >= 2", e.getMessage());
    }
}
