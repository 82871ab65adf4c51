package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TeacherOutputsTest {

    @Test
    void usedArraysMoveToTheStepAndTheRestIsFreedWithTheTeachersManager() {
        try (NDManager root = NDManager.newBaseManager(); NDManager step = root.newSubManager()) {
            NDArray constant = root.create(new float[] {7f});
            NDArray logits;
            NDArray mask;
            NDArray hidden0;
            NDArray hidden1;
            NDArray hidden2;
            NDArray attention0;
            NDArray sentence;
            AdaptedOutput kept;
            try (NDManager teacher = step.newSubManager()) {
                logits = teacher.create(new float[] {1f, 2f});
                mask = teacher.ones(new ai.djl.ndarray.types.Shape(1, 3));
                hidden0 = teacher.create(new float[] {0f});
                hidden1 = teacher.create(new float[] {1f});
                hidden2 = teacher.create(new float[] {2f});
                attention0 = teacher.create(new float[] {3f});
                sentence = teacher.create(new float[] {4f});
                AdaptedOutput out = AdaptedOutput.builder()
                        .addLogits(logits)
                        .addLoss(constant)
                        .inputsMask(mask)
                        .hidden(List.of(hidden0, hidden1, hidden2))
                        .attention(List.of(attention0))
                        .feature("sentence", List.of(sentence))
                        .build();
                kept = TeacherOutputs.keep(out, Map.of("hidden", Set.of(0, 2)), teacher, step);
            }
            assertSame(step, logits.getManager());
            assertArrayEquals(new float[] {1f, 2f}, kept.logits().get(0).toFloatArray());
            assertSame(mask, kept.inputsMask());
            assertFalse(mask.isReleased());
            assertEquals(3, kept.feature("hidden").size());
            assertSame(hidden0, kept.feature("hidden").get(0));
            assertNull(kept.feature("hidden").get(1));
            assertSame(hidden2, kept.feature("hidden").get(2));
            assertEquals(2f, hidden2.getFloat());
            assertTrue(hidden1.isReleased(), "an unused hidden state should be freed with the teacher's manager");
            assertTrue(attention0.isReleased(), "an unused feature should be freed with the teacher's manager");
            assertTrue(sentence.isReleased());
            assertFalse(kept.features().containsKey("attention"));
            assertSame(root, constant.getManager(), "arrays of other managers stay where they are");
            assertEquals(7f, kept.losses().get(0).getFloat());
        }
    }
}
