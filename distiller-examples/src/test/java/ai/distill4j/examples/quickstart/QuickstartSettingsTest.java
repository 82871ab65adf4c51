package ai.distill4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuickstartSettingsTest {

    @Test
    void presetsAreNamedAndSizedAsDocumented() {
        QuickstartSettings d = QuickstartSettings.defaults();
        assertEquals(QuickstartSettings.Preset.DEFAULT, d.preset());
        assertEquals(640, d.trainExamples());
        assertEquals(128, d.maxLength());
        assertArrayEquals(new int[] {1, 3, 5}, d.studentLayers());
        assertEquals(0, QuickstartSettings.full().trainExamples());
        assertEquals(QuickstartSettings.Preset.SMOKE, QuickstartSettings.smoke().preset());
        assertTrue(QuickstartSettings.smoke().trainExamples() < 100);
    }

    @Test
    void changingASettingMakesTheSettingsCustom() {
        QuickstartSettings s = QuickstartSettings.defaults().toBuilder().optStudentEpochs(1).build();
        assertEquals(QuickstartSettings.Preset.CUSTOM, s.preset());
        assertEquals(1, s.studentEpochs());
        assertEquals(QuickstartSettings.defaults(), QuickstartSettings.defaults().toBuilder().build());
    }

    @Test
    void teacherKeyFollowsTheTeacherRecipeOnly() {
        QuickstartSettings d = QuickstartSettings.defaults();
        assertEquals(d.teacherKey(), QuickstartSettings.defaults().teacherKey());
        assertTrue(d.teacherKey().startsWith("teacher-n640-len128-e2-"), d.teacherKey());
        // student-only settings share the teacher
        assertEquals(d.teacherKey(), d.toBuilder().optStudentEpochs(7).optTemperature(1).build().teacherKey());
        // anything the teacher's training depends on gets a new one
        assertNotEquals(d.teacherKey(), d.toBuilder().optTeacherLearningRate(3e-5).build().teacherKey());
        assertNotEquals(d.teacherKey(), d.toBuilder().optSeed(1).build().teacherKey());
        assertNotEquals(d.teacherKey(), d.toBuilder().optMaxLength(96).build().teacherKey());
    }

    @Test
    void invalidSettingsNameTheFieldAndTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuickstartSettings.builder().optMaxLength(4).build());
        assertEquals("quickstart.max_length = 4: must be in 8..512", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> QuickstartSettings.builder().optStudentLayers(3, 1).build());
        assertTrue(e.getMessage().startsWith("quickstart.student_layers = [3, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> QuickstartSettings.builder().optTrainExamples(10).optBatchSize(32).build());
        assertTrue(e.getMessage().contains("train_examples = 10"), e.getMessage());
    }
}
