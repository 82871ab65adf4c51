package ai.distill4j.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.config.IntermediateMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingObjectiveTest {

    private static final List<Integer> TEACHER = List.of(0, 2, 4, 6);
    private static final List<Integer> STUDENT = List.of(0, 1, 2, 3);

    @Test
    void mseAloneMatchesTheSentenceVectorsOnly() {
        List<IntermediateMatch> m = EmbeddingObjective.MSE.matches(TEACHER, STUDENT, 384, 384);
        assertEquals(1, m.size());
        assertEquals("sentence", m.get(0).feature());
        assertEquals("embedding_mse", m.get(0).loss());
        assertFalse(m.get(0).proj().isPresent());
    }

    @Test
    void eachComparisonAddsItsTermToEmbeddingMse() {
        assertEquals(List.of("embedding_mse", "similarity_matrix"),
                losses(EmbeddingObjective.MSE_SIMILARITY.matches(TEACHER, STUDENT, 384, 384)));
        assertEquals(List.of("embedding_mse", "contrastive"),
                losses(EmbeddingObjective.MSE_CONTRASTIVE.matches(TEACHER, STUDENT, 384, 384)));
        List<IntermediateMatch> ckd = EmbeddingObjective.MSE_CKD.matches(TEACHER, STUDENT, 384, 384);
        assertEquals(List.of("embedding_mse", "wr_dist", "ltr_angle"), losses(ckd));
        assertEquals(TEACHER, ckd.get(1).layerT());
        assertEquals(STUDENT, ckd.get(1).layerS());
    }

    @Test
    void aNarrowStudentGetsProjectionsForTheElementWiseTermsOnly() {
        List<IntermediateMatch> full = EmbeddingObjective.FULL.matches(TEACHER, STUDENT, 256, 384);
        assertEquals(1 + 4 + 2, full.size());
        for (IntermediateMatch m : full) {
            boolean mse = m.loss().equals("embedding_mse") || m.loss().equals("hidden_mse");
            assertEquals(mse, m.proj().isPresent(), m.toString());
            if (mse) {
                assertEquals(256, m.proj().get().dimIn());
                assertEquals(384, m.proj().get().dimOut());
            }
        }
        assertEquals(List.of(6), full.get(4).layerT());
        assertEquals(List.of(3), full.get(4).layerS());
        // contrastive compares student vector i with teacher vector j, so it needs the teacher's width too
        List<IntermediateMatch> contrastive = EmbeddingObjective.MSE_CONTRASTIVE.matches(TEACHER, STUDENT, 256, 384);
        assertTrue(contrastive.stream().allMatch(m -> m.proj().isPresent()), contrastive.toString());
        assertFalse(EmbeddingObjective.MSE_SIMILARITY.matches(TEACHER, STUDENT, 256, 384).get(1).proj().isPresent());
    }

    @Test
    void labelsParseCaseInsensitivelyAndUnknownOnesAreRefused() {
        assertEquals(EmbeddingObjective.MSE_CKD, EmbeddingObjective.parse("MSE+CKD"));
        assertEquals(EmbeddingObjective.FULL, EmbeddingObjective.parse("full"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingObjective.parse("kl"));
        assertTrue(e.getMessage().contains("objective = kl"), e.getMessage());
    }

    private static List<String> losses(List<IntermediateMatch> matches) {
        return matches.stream().map(IntermediateMatch::loss).toList();
    }
}
