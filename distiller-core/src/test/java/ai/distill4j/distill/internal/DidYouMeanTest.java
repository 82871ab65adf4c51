package ai.distill4j.distill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.ValidationException;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Misspelt names get the closest known one suggested; unrelated names get none. */
class DidYouMeanTest {

    @Test
    void levenshteinDistanceCountsEdits() {
        assertEquals(0, DidYouMean.distance("kd", "kd"));
        assertEquals(1, DidYouMean.distance("ckpt_step", "ckpt_steps"));
        assertEquals(2, DidYouMean.distance("tempreature", "temperature"));
        assertEquals(3, DidYouMean.distance("kitten", "sitting"));
        assertEquals(5, DidYouMean.distance("", "hello"));
    }

    @Test
    void closeNamesAreSuggestedAndFarOnesAreNot() {
        List<String> known = List.of("temperature", "kd_loss_type", "kd_loss_weight", "hard_label_weight");
        assertEquals(Optional.of("temperature"), DidYouMean.closest("tempreature", known));
        assertEquals(Optional.of("kd_loss_type"), DidYouMean.closest("KD_LOSS_TYPE", known));
        assertEquals(Optional.empty(), DidYouMean.closest("optimizer", known));
        assertEquals("", DidYouMean.hint("xyz", known));
    }

    @Test
    void unknownFieldsAndNamesSuggestTheClosest() {
        ValidationException field = assertThrows(ValidationException.class,
                () -> TrainingConfig.fromJson("{\"ckpt_step\": 5}"));
        assertTrue(field.getMessage().startsWith("training_config.ckpt_step is not a known field; did you mean "
                + "'ckpt_steps'? (known fields: ["), field.getMessage());
        ValidationException loss = assertThrows(ValidationException.class, () -> DistillationConfig.fromJson(
                "{\"intermediate_matches\": [{\"layer_T\": 1, \"layer_S\": 1, \"feature\": \"hidden\", "
                        + "\"loss\": \"hiden_mse\", \"weight\": 1}]}"));
        assertTrue(loss.getMessage().startsWith("distillation_config.intermediate_matches[0].loss = 'hiden_mse': "
                + "unknown intermediate-match loss; known names are ["), loss.getMessage());
        assertTrue(loss.getMessage().endsWith("; did you mean 'hidden_mse'?"), loss.getMessage());
        ValidationException kd = assertThrows(ValidationException.class,
                () -> DistillationConfig.fromJson("{\"kd_loss_type\": \"cee\"}"));
        assertTrue(kd.getMessage().endsWith("; did you mean 'ce'?"), kd.getMessage());
        ValidationException proj = assertThrows(ValidationException.class, () -> DistillationConfig.fromJson(
                "{\"intermediate_matches\": [{\"layer_T\": 1, \"layer_S\": 1, \"feature\": \"hidden\", "
                        + "\"loss\": \"hidden_mse\", \"weight\": 1, \"proj\": [\"linaer\", 4, 8]}]}"));
        assertEquals("distillation_config.intermediate_matches[0].proj[0] = 'linaer': the projection kind must be "
                + "one of [linear, relu, tanh]; did you mean 'linear'?", proj.getMessage());
        ValidationException sched = assertThrows(ValidationException.class,
                () -> DistillationConfig.fromJson("{\"temperature_scheduler\": \"flws\"}"));
        assertTrue(sched.getMessage().contains("unknown temperature scheduler; known names are ["), sched.getMessage());
        assertTrue(sched.getMessage().endsWith("did you mean 'flsw'?"), sched.getMessage());
    }

    @Test
    void projectionErrorsKeepTheirFieldPath() {
        ValidationException e = assertThrows(ValidationException.class, () -> DistillationConfig.fromJson(
                "{\"intermediate_matches\": [{\"layer_T\": 1, \"layer_S\": 1, \"feature\": \"hidden\", "
                        + "\"loss\": \"hidden_mse\", \"weight\": 1, \"proj\": [\"linear\", 4.5, 8]}]}"));
        assertEquals("distillation_config.intermediate_matches[0].proj[1] = 4.5: must be an integer", e.getMessage());
    }
}
