package ai.distill4j.model.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StudentsTest {

    static NDManager root;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    static BertConfig fourLayers() {
        return BertModelTest.tinyConfig().toBuilder().numHiddenLayers(4).build();
    }

    @Test
    void fromTeacherCopiesExactlyTheChosenLayers() {
        try (NDManager m = root.newSubManager()) {
            BertModel teacher = Students.random(fourLayers(), BertHead.SEQUENCE_CLASSIFICATION, 1, m);
            BertModel student = Students.fromTeacher(teacher, new int[] {3, 1}, m);
            assertEquals(2, student.config().numHiddenLayers());
            assertEquals(teacher.config().hiddenSize(), student.config().hiddenSize());
            Map<String, Parameter> t = teacher.namedParameters();
            for (Map.Entry<String, Parameter> en : student.namedParameters().entrySet()) {
                String name = en.getKey();
                String source = name.replace("encoder.layer.0.", "encoder.layer.3.")
                        .replace("encoder.layer.1.", "encoder.layer.1.");
                assertArrayEquals(t.get(source).getArray().toFloatArray(), en.getValue().getArray().toFloatArray(),
                        0f, name + " <- " + source);
            }
            // student layer 0 is NOT teacher layer 0
            assertFalse(Arrays.equals(t.get("encoder.layer.0.attention.self.query.weight").getArray().toFloatArray(),
                    student.namedParameters().get("encoder.layer.0.attention.self.query.weight").getArray()
                            .toFloatArray()));
        }
    }

    @Test
    void studentCopiesAreIndependentOfTheTeacher() {
        try (NDManager m = root.newSubManager()) {
            BertModel teacher = Students.random(fourLayers(), BertHead.NONE, 2, m);
            BertModel student = Students.fromTeacher(teacher, new int[] {0}, m);
            float before = teacher.namedParameters().get("embeddings.LayerNorm.weight").getArray().getFloat(0);
            student.namedParameters().get("embeddings.LayerNorm.weight").getArray().muli(3f);
            assertEquals(before, teacher.namedParameters().get("embeddings.LayerNorm.weight").getArray().getFloat(0));
        }
    }

    @Test
    void fromTeacherRejectsLayersOutOfRange() {
        try (NDManager m = root.newSubManager()) {
            BertModel teacher = Students.random(fourLayers(), BertHead.NONE, 2, m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Students.fromTeacher(teacher, new int[] {0, 4}, m));
            assertTrue(e.getMessage().contains("4") && e.getMessage().contains("0..3"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Students.fromTeacher(teacher, new int[0], m));
        }
    }

    @Test
    void randomFollowsHuggingFaceInitAndIsReproducible() {
        BertConfig config = BertModelTest.tinyConfig().toBuilder().vocabSize(400).hiddenSize(32)
                .intermediateSize(64).initializerRange(0.02).padTokenId(1).build();
        try (NDManager m = root.newSubManager()) {
            BertModel a = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 42, m);
            BertModel b = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 42, m);
            BertModel c = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 43, m);
            for (Map.Entry<String, Parameter> en : a.namedParameters().entrySet()) {
                float[] v = en.getValue().getArray().toFloatArray();
                assertArrayEquals(v, b.namedParameters().get(en.getKey()).getArray().toFloatArray(), 0f);
                String n = en.getKey();
                if (n.endsWith("LayerNorm.weight")) {
                    for (float x : v) {
                        assertEquals(1f, x, n);
                    }
                } else if (n.endsWith("bias")) {
                    for (float x : v) {
                        assertEquals(0f, x, n);
                    }
                } else {
                    assertFalse(Arrays.equals(v, c.namedParameters().get(n).getArray().toFloatArray()), n);
                }
            }
            float[] words = a.namedParameters().get("embeddings.word_embeddings.weight").getArray().toFloatArray();
            double sum = 0;
            double sq = 0;
            for (float x : words) {
                sum += x;
                sq += x * x;
            }
            double mean = sum / words.length;
            double std = Math.sqrt(sq / words.length - mean * mean);
            assertEquals(0.02, std, 0.001, "std of 12800 N(0, 0.02) draws");
            assertEquals(0, mean, 0.001);
            for (int j = 0; j < 32; j++) {
                assertEquals(0f, words[32 + j], "pad_token_id row " + j);
            }
        }
    }

    @Test
    void randomStudentsTrainWithGradients() {
        try (NDManager m = root.newSubManager()) {
            BertModel s = Students.random(BertModelTest.tinyConfig(), BertHead.SEQUENCE_CLASSIFICATION, 5, m);
            assertTrue(s.namedParameters().get("classifier.weight").getArray().hasGradient());
            assertTrue(s.namedParameters().get("embeddings.word_embeddings.weight").getArray().hasGradient());
            try (NDManager step = m.newSubManager();
                    ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                BertOutput out = s.forward(new ParameterStore(step, false), BertModelTest.inputs(step), true, false);
                gc.backward(out.logits().sum());
                try (NDManager g = m.newSubManager()) {
                    var grad = s.namedParameters().get("encoder.layer.0.attention.self.query.weight").getArray()
                            .getGradient();
                    grad.attach(g);
                    assertTrue(grad.abs().sum().getFloat() > 0, "gradient flows to the first layer");
                }
            }
        }
    }
}
