package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherCacheTest {

    static final Map<String, Set<Integer>> USED = Map.of("hidden", Set.of(1), "attention", Set.of(0));
    static final float[] LOGITS = {0.5f, -1.25f, 3f, 7.75f};
    static final float[] HIDDEN = {0.1f, -2.3f, 17.5f, 1234.5f, -0.0001f, 70000f};
    static final float[] SCORES = {1.5f, TeacherCache.MASK_VALUE, -3.25f, TeacherCache.MASK_VALUE};

    /** A teacher output in its own manager: logits, a logits mask, hidden [unused, used], attention [used]. */
    static AdaptedOutput output(NDManager m) {
        return AdaptedOutput.builder()
                .addLogits(m.create(LOGITS, new ai.djl.ndarray.types.Shape(2, 2)))
                .addLogitsMask(m.create(new long[] {1, 0}))
                .hidden(List.of(m.create(new float[] {9f}), m.create(HIDDEN, new ai.djl.ndarray.types.Shape(2, 3))))
                .attention(List.of(m.create(SCORES)))
                .feature("sentence", List.of(m.create(new float[] {4f})))
                .build();
    }

    private static void roundTrip(TeacherCacheConfig config, boolean exact) {
        Object batch = new Object();
        try (NDManager root = NDManager.newBaseManager();
                TeacherCache cache = new TeacherCache(root, USED, config)) {
            try (NDManager teacher = root.newSubManager()) {
                cache.put(batch, List.of(output(teacher)));
            }
            assertEquals(1, cache.size());
            for (int epoch = 0; epoch < 2; epoch++) {
                try (NDManager step = root.newSubManager()) {
                    AdaptedOutput o = cache.get(batch, step).get(0);
                    NDArray logits = o.logits().get(0);
                    assertSame(step, logits.getManager());
                    assertEquals(DataType.FLOAT32, logits.getDataType());
                    assertEquals(new ai.djl.ndarray.types.Shape(2, 2), logits.getShape());
                    assertArrayEquals(LOGITS, logits.toFloatArray(), "logits are exact in float16 too");
                    assertEquals(DataType.INT64, o.logitsMask().get(0).getDataType());
                    assertArrayEquals(new long[] {1, 0}, o.logitsMask().get(0).toLongArray());
                    assertNull(o.feature("hidden").get(0), "unused hidden state");
                    float[] hidden = o.feature("hidden").get(1).toFloatArray();
                    float[] scores = o.feature("attention").get(0).toFloatArray();
                    if (exact) {
                        assertArrayEquals(HIDDEN, hidden);
                        assertArrayEquals(SCORES, scores);
                    } else {
                        for (int i = 0; i < 5; i++) {
                            assertEquals(HIDDEN[i], hidden[i], Math.abs(HIDDEN[i]) * 1e-3 + 1e-7, "hidden " + i);
                        }
                        assertEquals(65504f, hidden[5], "beyond the float16 range: saturated");
                        assertArrayEquals(SCORES, scores, "the mask value survives exactly, 1.5 and -3.25 too");
                    }
                    assertFalse(o.features().containsKey("sentence"));
                }
            }
        }
    }

    @Test
    void float32InMemoryGivesTheTeachersOutputsBackExactly() {
        roundTrip(TeacherCacheConfig.DEFAULT, true);
    }

    @Test
    void float16KeepsThreeDigitsSaturatesAndRestoresTheMaskValue() {
        roundTrip(TeacherCacheConfig.DEFAULT.withFloat16(true), false);
    }

    @Test
    void onDiskEitherPrecisionReadsBackAndTheFileGoesAwayOnClose(@TempDir Path dir) throws Exception {
        roundTrip(TeacherCacheConfig.DEFAULT.withDirectory(dir), true);
        roundTrip(TeacherCacheConfig.DEFAULT.withDirectory(dir.resolve("sub")).withFloat16(true), false);
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.allMatch(Files::isDirectory), "scratch files must be deleted on close");
        }
    }

    @Test
    void float16HalvesTheFloatBytes() {
        try (NDManager root = NDManager.newBaseManager();
                TeacherCache full = new TeacherCache(root, USED, TeacherCacheConfig.DEFAULT);
                TeacherCache half = new TeacherCache(root, USED, TeacherCacheConfig.DEFAULT.withFloat16(true));
                NDManager teacher = root.newSubManager()) {
            full.put("b", List.of(output(teacher)));
            half.put("b", List.of(output(teacher)));
            // floats: 4 logits + 6 hidden + 4 scores; the INT64 mask keeps 8 bytes per value
            assertEquals(14 * 4 + 2 * 8, full.bytes());
            assertEquals(14 * 2 + 2 * 8, half.bytes());
        }
    }

    @Test
    void batchesBeyondTheCapAreNotCached() {
        long oneBatch = 14 * 4 + 2 * 8;
        try (NDManager root = NDManager.newBaseManager();
                TeacherCache cache = new TeacherCache(root, USED,
                        TeacherCacheConfig.DEFAULT.withMaxBytes(oneBatch + 10));
                NDManager teacher = root.newSubManager();
                NDManager step = root.newSubManager()) {
            cache.put("first", List.of(output(teacher)));
            cache.put("second", List.of(output(teacher)));
            assertEquals(1, cache.size());
            assertEquals(oneBatch, cache.bytes());
            assertTrue(cache.get("first", step) != null);
            assertNull(cache.get("second", step), "the teacher runs on this batch every epoch");
        }
    }

    @Test
    void aNegativeCapIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TeacherCacheConfig(false, null, -1));
        assertEquals("teacher_cache.max_bytes = -1: must be >= 0 (0 = no cap)", e.getMessage());
    }
}
