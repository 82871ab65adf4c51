package ai.distill4j.distill.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.loss.LossArgs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Defaults, JSON round trips, and one clear message per invalid value. */
class ConfigTest {

    @Test
    void defaultsAreTextBrewersExceptTheDevice() {
        TrainingConfig t = TrainingConfig.defaults();
        assertEquals(1, t.gradientAccumulationSteps());
        assertEquals(1, t.ckptFrequency());
        assertEquals(1, t.ckptEpochFrequency());
        assertTrue(t.ckptSteps().isEmpty());
        assertTrue(t.logDir().isEmpty());
        assertEquals("./saved_models", t.outputDir());
        assertEquals("cpu", t.device());
        assertFalse(t.fp16());
        assertEquals("O1", t.fp16OptLevel());
        assertFalse(t.dataParallel());
        assertEquals(-1, t.localRank());

        DistillationConfig d = DistillationConfig.defaults();
        assertEquals(4, d.temperature());
        assertTrue(d.temperatureScheduler().isEmpty());
        assertEquals(0, d.hardLabelWeight());
        assertTrue(d.hardLabelWeightScheduler().isEmpty());
        assertEquals("ce", d.kdLossType());
        assertEquals(1, d.kdLossWeight());
        assertTrue(d.kdLossWeightScheduler().isEmpty());
        assertFalse(d.probabilityShift());
        assertTrue(d.intermediateMatches().isEmpty());
        assertFalse(d.isCachingLogits());
    }

    @Test
    void aTextBrewerDistillationConfigLoadsUnchanged() {
        String json = """
                {"temperature": 8, "temperature_scheduler": ["flsw", 1, 2], "hard_label_weight": 0.5,
                 "hard_label_weight_scheduler": "linear_decay", "kd_loss_type": "mse", "kd_loss_weight": 1,
                 "kd_loss_weight_scheduler": "none", "probability_shift": true, "is_caching_logits": false,
                 "intermediate_matches": [
                   {"layer_T": 8, "layer_S": 2, "feature": "hidden", "loss": "hidden_mse", "weight": 1,
                    "proj": ["linear", 312, 768, {"lr": 0.001}]},
                   {"layer_T": [8, 8], "layer_S": [2, 2], "feature": "hidden", "loss": "mmd", "weight": 1},
                   {"layer_T": 4, "layer_S": 1, "feature": "attention", "loss": "attention_ce", "weight": 1}]}
                """;
        DistillationConfig d = DistillationConfig.fromJson(json);
        assertEquals(8, d.temperature());
        assertEquals("flsw", d.temperatureScheduler().orElseThrow().name());
        assertEquals(1.0, d.temperatureScheduler().orElseThrow().args().getDouble("beta", 0));
        assertEquals(2.0, d.temperatureScheduler().orElseThrow().args().getDouble("gamma", 0));
        assertEquals("linear_decay", d.hardLabelWeightScheduler().orElseThrow());
        assertTrue(d.kdLossWeightScheduler().isEmpty());
        assertEquals(3, d.intermediateMatches().size());
        IntermediateMatch proj = d.intermediateMatches().get(0);
        assertEquals(Projection.of("linear", 312, 768).kind(), proj.proj().orElseThrow().kind());
        assertEquals(0.001, proj.proj().orElseThrow().learningRate().getAsDouble());
        assertEquals("hidden_hidden_mse_2_8", proj.name());
        assertEquals("hidden_mmd_2-2_8-8", d.intermediateMatches().get(1).name());
        assertTrue(d.intermediateMatches().get(1).isListForm());
        assertEquals(d, DistillationConfig.fromJson(d.toJson()), "JSON round trip");
    }

    @Test
    void trainingConfigRoundTripsThroughJson() {
        TrainingConfig t = TrainingConfig.fromJson("""
                {"gradient_accumulation_steps": 3, "ckpt_frequency": 2, "ckpt_steps": 100, "log_dir": "logs",
                 "output_dir": "out", "device": "cpu", "fp16": false, "data_parallel": false, "local_rank": -1}""");
        assertEquals(3, t.gradientAccumulationSteps());
        assertEquals(100, t.ckptSteps().getAsInt());
        assertEquals(t, TrainingConfig.fromJson(t.toJson()));
    }

    @Test
    void theFiveTemperatureForms() {
        assertTrue(DistillationConfig.fromJson("{\"temperature_scheduler\": \"none\"}").temperatureScheduler().isEmpty());
        assertEquals("constant", DistillationConfig.fromJson("{\"temperature_scheduler\": \"constant\"}")
                .temperatureScheduler().orElseThrow().name());
        DistillationConfig c = DistillationConfig.fromJson("{\"temperature_scheduler\": [\"cwsm\", 0.5]}");
        assertEquals(0.5, c.temperatureScheduler().orElseThrow().args().getDouble("beta", 0));
        DistillationConfig f = DistillationConfig.fromJson(
                "{\"temperature_scheduler\": [\"flsw\", {\"beta\": 1, \"gamma\": 2}]}");
        assertEquals(2.0, f.temperatureScheduler().orElseThrow().args().getDouble("gamma", 0));
        assertEquals(c, DistillationConfig.fromJson(c.toJson()));
        assertEquals(f, DistillationConfig.fromJson(f.toJson()));
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void cpuOnlyFieldsAreRefusedNamingTheField() {
        assertTrue(message(() -> TrainingConfig.fromJson("{\"device\": \"cuda\"}"))
                .startsWith("training_config.device = 'cuda': only \"cpu\" is supported"));
        assertTrue(message(() -> TrainingConfig.fromJson("{\"fp16\": true}")).startsWith("training_config.fp16 = true"));
        assertTrue(message(() -> TrainingConfig.fromJson("{\"data_parallel\": true}"))
                .startsWith("training_config.data_parallel = true"));
        assertTrue(message(() -> TrainingConfig.fromJson("{\"local_rank\": 0}"))
                .startsWith("training_config.local_rank = 0"));
    }

    @Test
    void invalidValuesAreRejectedWithFieldValueAndRule() {
        assertEquals("distillation_config.temperature = 0: the temperature must be a finite number > 0",
                message(() -> DistillationConfig.builder().optTemperature(0).build()));
        assertEquals("distillation_config.temperature = -1.5: the temperature must be a finite number > 0",
                message(() -> DistillationConfig.fromJson("{\"temperature\": -1.5}")));
        assertTrue(message(() -> DistillationConfig.fromJson("{\"kd_loss_type\": \"kld\"}"))
                .startsWith("distillation_config.kd_loss_type = 'kld': unknown KD loss; known names are ["));
        assertTrue(message(() -> TrainingConfig.builder().optGradientAccumulationSteps(0).build())
                .startsWith("training_config.gradient_accumulation_steps = 0: must be >= 1"));
        assertTrue(message(() -> TrainingConfig.fromJson("{\"ckpt_step\": 5}"))
                .startsWith("training_config.ckpt_step is not a known field"));
        assertTrue(message(() -> DistillationConfig.fromJson("{\"hard_label_weight_scheduler\": \"cosine\"}"))
                .startsWith("distillation_config.hard_label_weight_scheduler = 'cosine': unknown weight scheduler"));
        assertTrue(message(() -> DistillationConfig.fromJson("{\"temperature_scheduler\": \"flsw\"}"))
                .contains("flsw needs its parameters: use [\"flsw\", beta, gamma]"));
    }

    @Test
    void unknownMatchLossIsRejected() {
        String m = message(() -> DistillationConfig.fromJson(
                "{\"intermediate_matches\": [{\"layer_T\": 1, \"layer_S\": 1, \"feature\": \"hidden\", "
                        + "\"loss\": \"hidden_msee\", \"weight\": 1}]}"));
        assertTrue(m.startsWith("distillation_config.intermediate_matches[0].loss = 'hidden_msee': unknown "
                + "intermediate-match loss; known names are ["), m);
    }

    @Test
    void pairLossWithoutPairsIsRejected() {
        String m = message(() -> IntermediateMatch.builder().setLayers(8, 2).setFeature("hidden").setLoss("mmd")
                .setWeight(1).build());
        assertTrue(m.contains("loss 'mmd' takes a pair of layers"), m);
        String three = message(() -> IntermediateMatch.builder().setLayers(List.of(1, 2, 3), List.of(1, 2, 3))
                .setFeature("hidden").setLoss("fsp").setWeight(1).build());
        assertTrue(three.contains("but was given 3 layer(s) per side"), three);
    }

    @Test
    void miniLmV2RelationLabelMustAgreeWithTheFeature() {
        String m = message(() -> IntermediateMatch.builder().setLayers(5, 2).setFeature("query").setLoss("minilmv2")
                .setWeight(1).optArgs(LossArgs.of("relation", "vv")).build());
        assertEquals("intermediate_match.args.relation = 'vv': names the 'value' relation but "
                + "the match's feature is 'query'; set \"feature\": \"value\" or change the relation", m);
        IntermediateMatch ok = IntermediateMatch.builder().setLayers(5, 2).setFeature("value").setLoss("minilmv2")
                .setWeight(1).optArgs(LossArgs.of("relation", "vv")).build();
        assertEquals("value", ok.feature());
        IntermediateMatch unlabelled = IntermediateMatch.builder().setLayers(5, 2).setFeature("key")
                .setLoss("minilmv2").setWeight(1).build();
        assertEquals("key", unlabelled.feature());
    }

    @Test
    void matchFormsAndFieldsAreChecked() {
        assertTrue(message(() -> DistillationConfig.fromJson("{\"intermediate_matches\": [{\"layer_T\": [1, 2], "
                + "\"layer_S\": 1, \"feature\": \"hidden\", \"loss\": \"hidden_mse\", \"weight\": 1}]}"))
                .contains("layer_T and layer_S must both be single indices or both be lists"));
        assertTrue(message(() -> IntermediateMatch.of(1, -1, "hidden", "hidden_mse", 1))
                .contains("layer_S = -1: layer indices must be >= 0"));
        assertTrue(message(() -> IntermediateMatch.of(1, 1, "hiden", "hidden_mse", 1))
                .contains("feature = 'hiden': must be one of"));
        assertTrue(message(() -> new Projection("gelu", 3, 4, Map.of())).contains("the projection kind must be one of"));
        assertTrue(message(() -> new Projection("linear", 3, 4, Map.of("momentum", 0.9)))
                .contains("unknown projection option"));
    }
}
