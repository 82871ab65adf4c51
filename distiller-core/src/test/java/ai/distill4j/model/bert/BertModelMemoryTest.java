package ai.distill4j.model.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The forward pass frees its intermediates as it goes and keeps only its outputs. */
class BertModelMemoryTest {

    static NDManager root;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    /**
     * Inputs (3), embedding output and additive mask (2), per layer hidden/scores/probs (3), head (at most 5: CLS
     * slice, pooler dense, tanh, dropout, classifier).
     */
    private static int outputBound(int layers) {
        return 3 + 2 + 3 * layers + 5;
    }

    @Test
    void forwardKeepsOnlyItsOutputsInTheStepManager() {
        BertConfig config = BertModelTest.tinyConfig().toBuilder().numHiddenLayers(3).build();
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 1, params);
            for (boolean training : new boolean[] {false, true}) {
                try (NDManager step = params.newSubManager()) {
                    model.forward(new ParameterStore(step, false), BertModelTest.inputs(step), training, false);
                    int held = step.getManagedArrays().size();
                    assertTrue(held <= outputBound(3), "training=" + training + ": the step manager holds " + held
                            + " arrays, more than the outputs (" + outputBound(3) + ")");
                }
            }
        }
    }

    @Test
    void freedIntermediatesDoNotBreakBackward() {
        BertConfig config = BertModelTest.tinyConfig().toBuilder().hiddenDropoutProb(0.2)
                .attentionProbsDropoutProb(0.2).build();
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 2, params);
            model.namedParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
            try (NDManager step = params.newSubManager()) {
                Engine.getInstance().setRandomSeed(5);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    BertOutput out = model.forward(new ParameterStore(step, false), BertModelTest.inputs(step), true,
                            true);
                    gc.backward(out.logits().sum().add(out.hiddenStates().get(1).mean())
                            .add(out.queries().get(0).mean()));
                }
                NDArray g = model.namedParameters().get("encoder.layer.0.attention.self.query.weight").getArray()
                        .getGradient();
                float norm = g.norm().getFloat();
                assertTrue(norm > 0 && Float.isFinite(norm), "gradient norm " + norm);
                g.close();
            }
        }
    }

    @Test
    void anOuterScopeStillClosesTheOutputs() {
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(BertModelTest.tinyConfig(), BertHead.NONE, 3, params);
            try (NDManager step = params.newSubManager()) {
                BertInputs in = BertModelTest.inputs(step);
                BertOutput out;
                try (NDScope scope = new NDScope()) {
                    out = model.forward(new ParameterStore(step, false), in, false, false);
                    assertFalse(out.lastHiddenState().isReleased());
                }
                assertTrue(out.lastHiddenState().isReleased(), "the caller's scope should close the outputs");
                assertTrue(out.attentionScores().get(0).isReleased());
                // the score-scale constants (GraphScalar) are PyTorch-owned, so the layer scopes close them too
                assertEquals(3, step.getManagedArrays().size(), "only the inputs should remain");
            }
        }
    }

    @Test
    void inferFreesEveryAttentionMapAndGivesTheSameOutputs() {
        BertConfig config = BertModelTest.tinyConfig().toBuilder().numHiddenLayers(3).build();
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 4, params);
            try (NDManager step = params.newSubManager()) {
                BertInputs in = BertModelTest.inputs(step);
                int inputs = step.getManagedArrays().size();
                BertOutput full = model.forward(new ParameterStore(step, false), in, false, false);
                int heldByForward = step.getManagedArrays().size() - inputs;
                BertOutput lean = model.infer(new ParameterStore(step, false), in);
                int heldByInfer = step.getManagedArrays().size() - inputs - heldByForward;
                assertEquals(List.of(), lean.attentionScores());
                assertEquals(List.of(), lean.attentionProbs());
                assertEquals(3, lean.numLayers());
                // the 2 x 3 maps are the difference
                assertEquals(heldByForward - 6, heldByInfer, "infer should hold everything forward does but the maps");
                assertArrayEquals(full.logits().toFloatArray(), lean.logits().toFloatArray(), 0f);
                for (int l = 0; l <= 3; l++) {
                    assertArrayEquals(full.hiddenStates().get(l).toFloatArray(),
                            lean.hiddenStates().get(l).toFloatArray(), 0f, "hidden state " + l);
                }
            }
        }
    }
}
