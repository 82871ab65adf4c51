package ai.distill4j.loss.relation;

import static ai.distill4j.loss.relation.TestTensors.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import ai.distill4j.loss.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Autograd gradients of every relation loss agree with float64 central differences, on padded batches. */
class RelationGradientTest {

    private static final LossRegistry REGISTRY = LossRegistry.withBuiltIns();
    private static final int SAMPLES = 40;
    private static final double TOLERANCE = 1e-6;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private void checkMulti(String name, LossArgs args) {
        MatchLoss loss = REGISTRY.match(name, args);
        NDArray s = TestTensors.normal(manager, 31, 2, 3, 6, 3);
        NDArray t = TestTensors.normal(manager, 32, 2, 3, 6, 4);
        NDArray mask = TestTensors.mask(manager, 6, 6, 4);
        GradientCheck.assertGradient(manager, x -> loss.compute(layers(x), layers(t), mask), s, SAMPLES, TOLERANCE);
    }

    private void checkSingle(String name, LossArgs args, NDArray s, NDArray t, NDArray mask) {
        MatchLoss loss = REGISTRY.match(name, args);
        GradientCheck.assertGradient(manager, x -> loss.compute(List.of(x), List.of(t), mask), s, SAMPLES, TOLERANCE);
    }

    @Test
    void wordRelationDistanceGradientIsCorrect() {
        checkMulti("wr_dist", LossArgs.EMPTY);
    }

    @Test
    void wordRelationAngleGradientIsCorrectForEveryNeighbourRule() {
        checkMulti("wr_angle", LossArgs.of("window", 3));
        checkMulti("wr_angle", LossArgs.of("window", 5, "neighbours", "real"));
        checkMulti("wr_angle", LossArgs.EMPTY);
    }

    @Test
    void layerRelationDistanceGradientIsCorrect() {
        checkMulti("ltr_dist", LossArgs.EMPTY);
    }

    @Test
    void layerRelationAngleGradientIsCorrect() {
        checkMulti("ltr_angle", LossArgs.EMPTY);
    }

    @Test
    void miniLmAttentionGradientIsCorrectForScoresAndProbabilities() {
        NDArray mask = TestTensors.mask(manager, 5, 5, 3);
        checkSingle("minilm_attention", LossArgs.EMPTY,
                TestTensors.normal(manager, 33, 2, 2, 5, 5), TestTensors.normal(manager, 34, 2, 2, 5, 5), mask);
        NDArray ps = TestTensors.normal(manager, 35, 2, 2, 5, 5).softmax(-1);
        NDArray pt = TestTensors.normal(manager, 36, 2, 2, 5, 5).softmax(-1);
        checkSingle("minilm_attention", LossArgs.of("attention", "probs"), ps, pt, mask);
    }

    @Test
    void miniLmValueGradientIsCorrectForPerHeadAndJoinedInputs() {
        NDArray mask = TestTensors.mask(manager, 5, 5, 3);
        checkSingle("minilm_value", LossArgs.EMPTY,
                TestTensors.normal(manager, 37, 2, 2, 5, 3), TestTensors.normal(manager, 38, 2, 2, 5, 4), mask);
        checkSingle("minilm_value", LossArgs.of("heads", 2),
                TestTensors.normal(manager, 39, 2, 5, 6), TestTensors.normal(manager, 40, 2, 5, 8), mask);
    }

    @Test
    void miniLmV2GradientIsCorrectWithDifferentHeadCounts() {
        NDArray mask = TestTensors.mask(manager, 5, 5, 3);
        checkSingle("minilmv2", LossArgs.of("relation", "kk", "relation_heads", 3),
                TestTensors.normal(manager, 41, 2, 2, 5, 3), TestTensors.normal(manager, 42, 2, 3, 5, 4), mask);
    }

    @Test
    void rkdGradientsAreCorrect() {
        checkSingle("rkd_distance", LossArgs.EMPTY,
                TestTensors.normal(manager, 43, 5, 3), TestTensors.normal(manager, 44, 5, 4), null);
        checkSingle("rkd_angle", LossArgs.EMPTY,
                TestTensors.normal(manager, 45, 5, 3), TestTensors.normal(manager, 46, 5, 4), null);
    }
}
