package ai.distill4j.model.bert;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Without queries, keys and values the score scale is folded into the query weights; that path must give what the
 * plain path (scores divided by sqrt(d), checked against the Java reference in {@link BertModelTest}) gives.
 */
class BertModelFastPathTest {

    static NDManager root;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    @Test
    void foldedScoreScaleGivesThePlainPathsOutputs() {
        try (NDManager params = root.newSubManager()) {
            BertModel model = Students.random(BertModelTest.tinyConfig(), BertHead.SEQUENCE_CLASSIFICATION, 7,
                    params);
            try (NDManager step = params.newSubManager()) {
                ParameterStore ps = new ParameterStore(step, false);
                BertOutput plain = model.forward(ps, BertModelTest.inputs(step), false, true);
                BertOutput folded = model.forward(ps, BertModelTest.inputs(step), false, false);
                for (int l = 0; l < 2; l++) {
                    BertModelTest.assertClose(plain.attentionScores().get(l).toFloatArray(),
                            folded.attentionScores().get(l).toFloatArray(), 1e-5, "scores " + l);
                    BertModelTest.assertClose(plain.attentionProbs().get(l).toFloatArray(),
                            folded.attentionProbs().get(l).toFloatArray(), 1e-6, "probs " + l);
                }
                for (int l = 0; l <= 2; l++) {
                    BertModelTest.assertClose(plain.hiddenStates().get(l).toFloatArray(),
                            folded.hiddenStates().get(l).toFloatArray(), 1e-5, "hidden " + l);
                }
                BertModelTest.assertClose(plain.logits().toFloatArray(), folded.logits().toFloatArray(), 1e-5,
                        "logits");
            }
        }
    }
}
