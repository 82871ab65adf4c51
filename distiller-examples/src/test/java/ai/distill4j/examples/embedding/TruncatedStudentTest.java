package ai.distill4j.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.junit.jupiter.api.Test;

class TruncatedStudentTest {

    @Test
    void theConfigKeepsTheHeadSizeAndScalesTheFeedForward() {
        BertConfig narrow = TruncatedStudent.config(TinyBert.config(), 16, 2);
        assertEquals(16, narrow.hiddenSize());
        assertEquals(2, narrow.numAttentionHeads());
        assertEquals(8, narrow.headSize());
        assertEquals(32, narrow.intermediateSize());
        assertEquals(2, narrow.numHiddenLayers());
    }

    @Test
    void aWidthThatIsNotAWholeNumberOfHeadsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TruncatedStudent.config(TinyBert.config(), 12, 2));
        assertTrue(e.getMessage().startsWith("hidden = 12"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TruncatedStudent.config(TinyBert.config(), 64, 2));
    }

    @Test
    void everyWeightIsTheLeadingBlockOfTheChosenTeacherLayer() {
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel teacher = Students.random(TinyBert.config(), BertHead.NONE, 3, m);
            BertModel student = TruncatedStudent.fromTeacher(teacher, 16, new int[] {3, 1}, m);
            assertEquals(2, student.config().numHiddenLayers());
            NDArray q = student.namedParameters().get("encoder.layer.0.attention.self.query.weight").getArray();
            NDArray tq = teacher.namedParameters().get("encoder.layer.3.attention.self.query.weight").getArray();
            assertArrayEquals(new long[] {16, 16}, q.getShape().getShape());
            assertArrayEquals(tq.get(new NDIndex(":16, :16")).toFloatArray(), q.toFloatArray());
            NDArray out = student.namedParameters().get("encoder.layer.1.output.dense.weight").getArray();
            NDArray tout = teacher.namedParameters().get("encoder.layer.1.output.dense.weight").getArray();
            assertArrayEquals(new long[] {16, 32}, out.getShape().getShape());
            assertArrayEquals(tout.get(new NDIndex(":16, :32")).toFloatArray(), out.toFloatArray());
            NDArray words = student.namedParameters().get("embeddings.word_embeddings.weight").getArray();
            NDArray twords = teacher.namedParameters().get("embeddings.word_embeddings.weight").getArray();
            assertArrayEquals(twords.get(new NDIndex(":, :16")).toFloatArray(), words.toFloatArray());
        }
    }
}
