package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.adapt.FeatureShape;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.Projection;
import ai.distill4j.distill.config.TemperatureSchedule;
import ai.distill4j.loss.LossRegistry;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live weights step by step, per-row temperatures, probability shift, and match validation. */
class DistillationLossTest {

    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private StepContext ctx(int step, int total) {
        return new StepContext(manager, step, total, step, 0);
    }

    @Test
    void weightSchedulersReplaceTheWeightAfterEachOptimizerStep() {
        DistillationLoss loss = new DistillationLoss(DistillationConfig.builder().optKdLossWeight(2)
                .optKdLossWeightScheduler("linear_growth").optHardLabelWeight(1)
                .optHardLabelWeightScheduler("linear_decay").build(), LossRegistry.global());
        double[] kd = new double[9];
        double[] hard = new double[9];
        for (int step = 0; step <= 8; step++) {
            kd[step] = loss.kdWeight(ctx(step, 8));
            hard[step] = loss.hardLabelWeight(ctx(step, 8));
        }
        assertEquals(2.0, kd[0], "the configured weight applies before the first step");
        assertEquals(1.0, hard[0]);
        for (int step = 1; step <= 8; step++) {
            assertEquals(step / 8.0, kd[step], 1e-15, "linear_growth at step " + step);
            assertEquals(1 - step / 8.0, hard[step], 1e-15, "linear_decay at step " + step);
        }
    }

    @Test
    void withoutSchedulersTheConfiguredWeightsStay() {
        DistillationLoss loss = new DistillationLoss(DistillationConfig.builder().optKdLossWeight(0.7).build(),
                LossRegistry.global());
        assertEquals(0.7, loss.kdWeight(ctx(5, 8)));
        assertEquals(0.0, loss.hardLabelWeight(ctx(5, 8)));
    }

    @Test
    void cwsmGivesEachRowItsOwnTemperature() {
        float[] s = {2f, 0f, -1f, 0.1f, 0.2f, 0.3f};
        float[] t = {1f, 0.5f, 0f, -1f, 2f, 0f};
        DistillationConfig config = DistillationConfig.builder().optTemperature(3)
                .optTemperatureScheduler(TemperatureSchedule.cwsm(0.5)).build();
        AdaptedOutput student = AdaptedOutput.builder().addLogits(manager.create(s, new Shape(2, 3))).build();
        AdaptedOutput teacher = AdaptedOutput.builder().addLogits(manager.create(t, new Shape(2, 3))).build();
        LossTerms terms = new DistillationLoss(config, LossRegistry.global())
                .compute(student, teacher, null, false, true, ctx(0, 1));
        // cwsm by hand: w_n = 1 / (max softmax(S_n) + 1e-3), tau_n = 3 + (mean(w) - w_n) * 0.5
        double[] w = new double[2];
        for (int n = 0; n < 2; n++) {
            w[n] = 1 / (maxSoftmax(s, n, 1.0) + 1e-3);
        }
        double mean = (w[0] + w[1]) / 2;
        double expected = 0;
        for (int n = 0; n < 2; n++) {
            double tau = 3 + (mean - w[n]) * 0.5;
            double[] p = softmax(t, n, tau);
            double[] q = softmax(s, n, tau);
            for (int c = 0; c < 3; c++) {
                expected -= p[c] * Math.log(q[c]);
            }
        }
        expected /= 2;
        assertEquals(expected, terms.terms().get(DistillationLoss.KD).getFloat(), 1e-6);
        assertEquals(expected, terms.total().getFloat(), 1e-6);
    }

    private static double[] softmax(float[] x, int row, double tau) {
        double[] e = new double[3];
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            e[c] = Math.exp(x[row * 3 + c] / tau);
            sum += e[c];
        }
        for (int c = 0; c < 3; c++) {
            e[c] /= sum;
        }
        return e;
    }

    private static double maxSoftmax(float[] x, int row, double tau) {
        double[] p = softmax(x, row, tau);
        return Math.max(p[0], Math.max(p[1], p[2]));
    }

    @Test
    void probabilityShiftWorksWithMaskedSequenceLogits() {
        // (1, 3, 2) logits, the last position masked out; labels at the kept positions are 1 and 0
        NDArray ls = manager.create(new float[] {0f, 0f, 0f, 0f, 5f, 5f}, new Shape(1, 3, 2));
        NDArray lt = manager.create(new float[] {3f, 1f, 1f, 3f, 9f, 9f}, new Shape(1, 3, 2));
        NDArray mask = manager.create(new long[] {1, 1, 0}, new Shape(1, 3));
        NDArray labels = manager.create(new long[] {1, 0, -100}, new Shape(1, 3));
        DistillationConfig config = DistillationConfig.builder().optTemperature(1).optProbabilityShift(true).build();
        AdaptedOutput student = AdaptedOutput.builder().addLogits(ls).addLogitsMask(mask).addLabels(labels).build();
        AdaptedOutput teacher = AdaptedOutput.builder().addLogits(lt).addLogitsMask(mask).build();
        double kd = new DistillationLoss(config, LossRegistry.global())
                .compute(student, teacher, null, false, true, ctx(0, 1)).total().getFloat();
        // after the shift the teacher rows are [1, 3] and [3, 1]; the student is uniform: CE = log 2 per row
        assertEquals(Math.log(2), kd, 1e-6);
    }

    @Test
    void matchesAreValidatedAgainstTheModels() {
        Map<String, FeatureShape> teacher = Map.of("hidden", new FeatureShape(5, 32), "attention",
                new FeatureShape(4, 4));
        Map<String, FeatureShape> student = Map.of("hidden", new FeatureShape(3, 16), "attention",
                new FeatureShape(2, 2));
        String range = assertThrows(IllegalArgumentException.class, () -> MatchValidation.check(
                List.of(IntermediateMatch.builder().setLayers(5, 1).setFeature("hidden").setLoss("mmd").setWeight(1)
                        .setLayers(List.of(2, 5), List.of(1, 1)).build()), teacher, student)).getMessage();
        assertEquals("distillation_config.intermediate_matches[0].layer_T = [2, 5]: layer 5 is out of range: the "
                + "teacher's 'hidden' list has 5 entries (0..4)", range);
        String width = assertThrows(IllegalArgumentException.class, () -> MatchValidation.check(
                List.of(IntermediateMatch.of(4, 2, "hidden", "hidden_mse", 1)), teacher, student)).getMessage();
        assertTrue(width.startsWith("distillation_config.intermediate_matches[0]: the student's 'hidden' width (16) "
                + "differs from the teacher's (32)"), width);
        assertTrue(width.endsWith("add \"proj\": [\"linear\", 16, 32]"), width);
        String proj = assertThrows(IllegalArgumentException.class, () -> MatchValidation.check(
                List.of(IntermediateMatch.builder().setLayers(4, 2).setFeature("hidden").setLoss("hidden_mse")
                        .setWeight(1).optProj(Projection.of("linear", 32, 32)).build()), teacher, student))
                .getMessage();
        assertTrue(proj.contains("proj[1] = 32: dim_in must be the student's 'hidden' width, 16"), proj);
        String heads = assertThrows(IllegalArgumentException.class, () -> MatchValidation.check(
                List.of(IntermediateMatch.of(3, 1, "attention", "attention_mse", 1)), teacher, student)).getMessage();
        assertTrue(heads.contains("head count"), heads);
        // widths may differ for mmd and for the head-averaging attention losses
        MatchValidation.check(List.of(
                IntermediateMatch.builder().setLayers(List.of(2, 2), List.of(1, 1)).setFeature("hidden")
                        .setLoss("mmd").setWeight(1).build(),
                IntermediateMatch.of(3, 1, "attention", "attention_mse_sum", 1),
                IntermediateMatch.builder().setLayers(4, 2).setFeature("hidden").setLoss("hidden_mse").setWeight(1)
                        .optProj(Projection.of("linear", 16, 32)).build()), teacher, student);
    }
}
