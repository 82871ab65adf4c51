package ai.distill4j.model.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.text.BertTokenizer;
import ai.distill4j.model.text.TokenizedBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentenceEncoderTest {

    static NDManager root;
    static NDManager params;
    static BertModel model;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
        params = root.newSubManager();
        model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 5, params);
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    /** The pooled vectors of one direct forward pass over the whole batch. */
    static float[][] direct(BertModel m, TokenizedBatch batch, Pooling pooling) {
        try (NDManager step = root.newSubManager()) {
            BertInputs in = batch.toInputs(step);
            BertOutput out = m.forward(new ParameterStore(step, false), in, false, false);
            float[] flat = pooling.apply(out.lastHiddenState(), in.attentionMask()).toFloatArray();
            int h = m.config().hiddenSize();
            float[][] v = new float[batch.size()][h];
            for (int i = 0; i < v.length; i++) {
                System.arraycopy(flat, i * h, v[i], 0, h);
            }
            return v;
        }
    }

    @Test
    void encodingInSmallBatchesGivesTheVectorsOfOneForwardPass() {
        TokenizedBatch batch = SentenceTestModels.fiveRows();
        for (Pooling pooling : List.of(Pooling.mean(), Pooling.of(PoolingMode.MAX).normalized(),
                Pooling.of(PoolingMode.CLS))) {
            float[][] expected = direct(model, batch, pooling);
            for (int batchSize : new int[] {1, 2, 5, 64}) {
                SentenceEncoder enc = SentenceEncoder.builder(model).pooling(pooling).batchSize(batchSize).build();
                float[][] got = enc.encode(batch);
                assertEquals(5, got.length);
                for (int i = 0; i < 5; i++) {
                    assertArrayEquals(expected[i], got[i], 1e-5f, pooling + " batch " + batchSize + " row " + i);
                }
            }
        }
    }

    @Test
    void encodingRestoresTheGradModeAndLeavesNoArraysBehind() {
        TokenizedBatch batch = SentenceTestModels.fiveRows();
        SentenceEncoder enc = SentenceEncoder.builder(model).batchSize(2).build();
        int before = params.getManagedArrays().size();
        boolean mode = JniUtils.isGradMode();
        try {
            JniUtils.setGradMode(true);
            enc.encode(batch);
            assertTrue(JniUtils.isGradMode(), "grad mode on before, on after");
            JniUtils.setGradMode(false);
            enc.encode(batch);
            assertFalse(JniUtils.isGradMode(), "grad mode off before, off after");
        } finally {
            JniUtils.setGradMode(mode);
        }
        assertEquals(before, params.getManagedArrays().size(), "no array lands in the parameters' manager");
        model.namedParameters().values().forEach(p -> {
            NDArray a = p.getArray();
            assertFalse(a.hasGradient() && a.getGradient().abs().sum().getFloat() > 0, p.getName());
        });
    }

    @Test
    void encodeIntoAnArrayHasOneRowPerText() {
        TokenizedBatch batch = SentenceTestModels.fiveRows();
        SentenceEncoder enc = SentenceEncoder.builder(model).build();
        try (NDManager m = root.newSubManager()) {
            NDArray v = enc.encode(batch, m);
            assertEquals(new Shape(5, 16), v.getShape());
            float[][] rows = enc.encode(batch);
            assertArrayEquals(rows[3], v.get(3).toFloatArray(), 0f);
        }
        assertEquals(0, enc.encode(new TokenizedBatch(new long[0][], new long[0][], new long[0][])).length);
    }

    @Test
    void encodingTextsTokenizesThemWithTheTokenizer(@TempDir Path dir) throws IOException {
        Path tokenizerJson = dir.resolve("tokenizer.json");
        try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, tokenizerJson);
        }
        BertConfig config = SentenceTestModels.tinyConfig().toBuilder().vocabSize(30522).maxPositionEmbeddings(32)
                .build();
        try (NDManager m = root.newSubManager();
                BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(32).build()) {
            BertModel big = Students.random(config, BertHead.NONE, 9, m);
            List<String> texts = List.of("A cat sits on the mat.", "Stocks fell sharply today.", "hello");
            SentenceEncoder enc = SentenceEncoder.builder(big).tokenizer(tok).batchSize(2).build();
            float[][] got = enc.encode(texts);
            float[][] expected = direct(big, tok.encode(texts), Pooling.mean());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected[i], got[i], 1e-5f, texts.get(i));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SentenceEncoder.builder(big).build().encode(texts));
            assertTrue(e.getMessage().contains("tokenizer"), e.getMessage());
        }
    }

    @Test
    void builderRejectsANonPositiveBatchSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SentenceEncoder.builder(model).batchSize(0).build());
        assertTrue(e.getMessage().contains("batchSize = 0"), e.getMessage());
    }
}
