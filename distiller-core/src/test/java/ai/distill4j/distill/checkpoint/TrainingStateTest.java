package ai.distill4j.distill.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingStateTest {

    @Test
    void roundTripsThroughStateJson() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("config_sha256", "ab12");
        extra.put("temperature_schedule_position", 17L);
        extra.put("lr_history", List.of(0.1, 0.05));
        TrainingState state = new TrainingState(40, 1, 8, 120, 42L, extra);
        String json = state.toJson();
        assertEquals("{\"format\": 1, \"global_step\": 40, \"epoch\": 1, \"batch_in_epoch\": 8, \"batches_seen\": 120, "
                + "\"seed\": 42, \"extra\": {\"config_sha256\": \"ab12\", \"temperature_schedule_position\": 17, "
                + "\"lr_history\": [0.1, 0.05]}}", json);
        assertEquals(state, TrainingState.fromJson(json));
        assertEquals(119, state.lastLoggedBatch());
    }

    @Test
    void keepsAFullSixtyFourBitSeed() {
        TrainingState state = TrainingState.of(0, 0, 0, 0, Long.MIN_VALUE + 3);
        assertEquals(Long.MIN_VALUE + 3, TrainingState.fromJson(state.toJson()).seed());
    }

    @Test
    void withExtraAddsAValueWithoutChangingTheOriginal() {
        TrainingState state = TrainingState.of(1, 0, 1, 1, 7);
        TrainingState more = state.withExtra("note", "x");
        assertEquals(Map.of(), state.extra());
        assertEquals(Map.of("note", "x"), more.extra());
    }

    @Test
    void rejectsNegativePositionsNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingState.of(0, 0, -1, 0, 0));
        assertTrue(e.getMessage().startsWith("batchInEpoch"), e.getMessage());
    }

    @Test
    void rejectsExtraValuesThatAreNotJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingState.of(0, 0, 0, 0, 0).withExtra("thread", Thread.currentThread()));
        assertTrue(e.getMessage().contains("extra.thread"), e.getMessage());
    }

    @Test
    void readingNamesAMissingField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingState.fromJson("{\"format\": 1, \"global_step\": 3, \"epoch\": 0}"));
        assertTrue(e.getMessage().contains("batch_in_epoch"), e.getMessage());
    }
}
