package ai.distill4j.loss.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.WeightScheduler;
import org.junit.jupiter.api.Test;

class WeightSchedulersTest {

    private final LossRegistry registry = LossRegistry.withBuiltIns();

    @Test
    void linearDecayFallsFromOneToZeroAndOverwritesTheConfiguredWeight() {
        WeightScheduler decay = registry.weight("linear_decay");
        assertEquals(1.0, decay.weight(5, 0), 0);
        assertEquals(0.75, decay.weight(5, 0.25), 0);
        assertEquals(0.75, decay.weight(0.1, 0.25), 0);
        assertEquals(0.0, decay.weight(5, 1), 0);
    }

    @Test
    void linearGrowthRisesFromZeroToOneAndOverwritesTheConfiguredWeight() {
        WeightScheduler growth = registry.weight("linear_growth");
        assertEquals(0.0, growth.weight(3, 0), 0);
        assertEquals(0.4, growth.weight(3, 0.4), 0);
        assertEquals(0.4, growth.weight(100, 0.4), 0);
        assertEquals(1.0, growth.weight(3, 1), 0);
    }

    @Test
    void progressOutsideZeroToOneIsRejected() {
        for (double bad : new double[] {-0.01, 1.5, Double.NaN}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new LinearGrowthWeight().weight(1, bad));
            assertTrue(e.getMessage().contains("'linear_growth'") && e.getMessage().contains("[0, 1]"), e.getMessage());
        }
    }

    @Test
    void anUnknownWeightSchedulerIsRejectedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.weight("cosine"));
        assertTrue(e.getMessage().contains("[linear_decay, linear_growth]"), e.getMessage());
    }
}
