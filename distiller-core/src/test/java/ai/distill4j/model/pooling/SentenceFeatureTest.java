package ai.distill4j.model.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.text.TokenizedBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SentenceFeatureTest {

    static NDManager root;
    static BertModel model;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
        model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 3, root);
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    @Test
    void sentenceFeatureIsTheMaskedMeanOfTheLastHiddenState() {
        TokenizedBatch batch = SentenceTestModels.fiveRows();
        try (NDManager step = root.newSubManager()) {
            BertInputs in = batch.toInputs(step);
            BertOutput out = model.forward(new ParameterStore(step, false), in, false, false);
            NDArray v = SentenceFeature.of(Pooling.mean()).compute(out, in.attentionMask());
            assertEquals(new Shape(5, 16), v.getShape());
            float[] hidden = out.lastHiddenState().toFloatArray();
            float[] got = v.toFloatArray();
            int s = batch.sequenceLength();
            for (int b = 0; b < 5; b++) {
                for (int h = 0; h < 16; h++) {
                    double sum = 0;
                    int n = 0;
                    for (int t = 0; t < s; t++) {
                        if (batch.mask()[b][t] == 1) {
                            sum += hidden[(b * s + t) * 16 + h];
                            n++;
                        }
                    }
                    assertEquals(sum / n, got[b * 16 + h], 1e-5, "row " + b + " dim " + h);
                }
            }
            assertEquals(step, v.getManager(), "the feature lives in the step's manager");
        }
    }

    @Test
    void extraPaddingDoesNotChangeTheSentenceVector() {
        long[][] shortIds = {{2, 7, 9, 3}};
        long[][] longIds = {{2, 7, 9, 3, 0, 0, 0, 0, 0, 0}};
        for (PoolingMode mode : PoolingMode.values()) {
            SentenceFeature f = SentenceFeature.of(new Pooling(mode, true));
            assertArrayEquals(vector(f, SentenceTestModels.padded(shortIds)),
                    vector(f, SentenceTestModels.padded(longIds)), 1e-5f, mode.name());
        }
    }

    static float[] vector(SentenceFeature f, TokenizedBatch batch) {
        try (NDManager step = root.newSubManager()) {
            BertInputs in = batch.toInputs(step);
            BertOutput out = model.forward(new ParameterStore(step, false), in, false, false);
            return f.compute(out, in.attentionMask()).toFloatArray();
        }
    }
}
