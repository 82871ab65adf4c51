package ai.distill4j.distill.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.pooling.SentenceTestModels;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalEvaluatorTest {

    /** Twelve documents at 0, 20, ..., 220 degrees. */
    static final float[][] DOCS = EmbeddingAgreementEvaluatorTest.angles(0, 20, 40, 60, 80, 100, 120, 140, 160, 180,
            200, 220);

    @Test
    void ranksOfRelevantDocumentsGiveTheHandComputedScores() {
        // q0 at 0: doc 0 ranks 1. q1 at 41: docs 40, 60, 20, 80 are closer than doc 0 -> rank 5.
        // q2 at 205: docs 60..220 (9) are closer than doc 0 (155 away) -> rank 10.
        // q3 at 195: docs 40..220 (10) are closer than doc 0 (165 away) -> rank 11.
        // q4 at 213, relevant {0, 11}: doc 11 (7 away) ranks 1; doc 0 (147 away) after docs 80..220 -> rank 9.
        float[][] queries = EmbeddingAgreementEvaluatorTest.angles(0, 41, 205, 195, 213);
        int[][] relevant = {{0}, {0}, {0}, {0}, {0, 11}};
        Map<String, Double> m = RetrievalEvaluator.score(queries, DOCS, relevant);
        assertEquals(List.of("recall@1", "recall@10", "mrr"), List.copyOf(m.keySet()));
        assertEquals((1 + 0 + 0 + 0 + 0.5) / 5, m.get("recall@1"), 1e-12);
        assertEquals((1 + 1 + 1 + 0 + 1) / 5.0, m.get("recall@10"), 1e-12);
        assertEquals((1 + 1 / 5.0 + 1 / 10.0 + 1 / 11.0 + 1) / 5, m.get("mrr"), 1e-12);
    }

    @Test
    void equalScoresRankTheLowerDocumentIndexFirst() {
        float[][] docs = {{1, 0}, {1, 0}, {0, 1}};
        float[][] queries = {{1, 0}, {1, 0}};
        Map<String, Double> m = RetrievalEvaluator.score(queries, docs, new int[][] {{0}, {1}});
        assertEquals(0.5, m.get("recall@1"));
        assertEquals((1 + 0.5) / 2, m.get("mrr"), 1e-12);
    }

    @Test
    void scoreRejectsBadRelevance() {
        float[][] q = {{1, 0}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetrievalEvaluator.score(q, DOCS, new int[][] {{12}}));
        assertTrue(e.getMessage().contains("12") && e.getMessage().contains("0..11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RetrievalEvaluator.score(q, DOCS, new int[][] {{}}));
        assertTrue(e.getMessage().contains("query 0 has no relevant document"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RetrievalEvaluator.score(q, DOCS, new int[][] {{1}, {2}}));
        assertTrue(e.getMessage().contains("2 entries") && e.getMessage().contains("1 queries"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RetrievalEvaluator.score(new float[][] {{1, 0, 0}}, DOCS, new int[][] {{0}}));
        assertTrue(e.getMessage().contains("width 3"), e.getMessage());
    }

    @Test
    void everyTextRetrievesItselfFirstWithTheSameEncoder() {
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 21, m);
            SentenceEncoder enc = SentenceEncoder.builder(model).build();
            RetrievalEvaluator eval = RetrievalEvaluator.builder()
                    .queryTokens(SentenceTestModels.fiveRows())
                    .documentTokens(SentenceTestModels.fiveRows())
                    .relevantDocument(new int[] {0, 1, 2, 3, 4})
                    .student(enc)
                    .build();
            Map<String, Double> standalone = eval.evaluate(enc);
            assertEquals(Map.of("recall@1", 1.0, "recall@10", 1.0, "mrr", 1.0), standalone);
            assertEquals(standalone, eval.evaluate(null, 3));
        }
    }

    @Test
    void builderChecksRelevanceAgainstQueriesAndDocuments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetrievalEvaluator.builder()
                .queries(List.of("q")).documents(List.of("a", "b")).relevantDocument(new int[] {2}).build());
        assertTrue(e.getMessage().contains("out of range 0..1"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> RetrievalEvaluator.builder().queries(List.of("q")).relevantDocument(new int[] {0}).build());
    }
}
