package ai.distill4j.distill.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.DistillModel;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.pooling.SentenceTestModels;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddingAgreementEvaluatorTest {

    static float[][] random(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] v = new float[n][d];
        for (float[] row : v) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return v;
    }

    /** Unit vectors in the plane at the given angles (degrees). */
    static float[][] angles(double... degrees) {
        float[][] v = new float[degrees.length][];
        for (int i = 0; i < degrees.length; i++) {
            double a = Math.toRadians(degrees[i]);
            v[i] = new float[] {(float) Math.cos(a), (float) Math.sin(a)};
        }
        return v;
    }

    @Test
    void identicalVectorsAgreeCompletely() {
        float[][] t = random(12, 5, 1);
        Map<String, Double> m = EmbeddingAgreementEvaluator.compare(t, t);
        assertEquals(List.of("mean_cosine", "spearman", "top1_agreement", "top10_agreement"),
                List.copyOf(m.keySet()));
        assertEquals(1.0, m.get("mean_cosine"), 1e-12);
        assertEquals(1.0, m.get("spearman"), 1e-12);
        assertEquals(1.0, m.get("top1_agreement"));
        assertEquals(1.0, m.get("top10_agreement"));
    }

    @Test
    void rescaledVectorsAgreeCompletelyBecauseOnlyDirectionsCount() {
        float[][] t = random(8, 4, 2);
        float[][] s = new float[8][4];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 4; j++) {
                s[i][j] = t[i][j] * (i + 1) * 3;
            }
        }
        Map<String, Double> m = EmbeddingAgreementEvaluator.compare(t, s);
        assertEquals(1.0, m.get("mean_cosine"), 1e-9);
        assertEquals(1.0, m.get("spearman"), 1e-12);
        assertEquals(1.0, m.get("top1_agreement"));
    }

    @Test
    void swappingTwoTextsGivesTheHandComputedAgreement() {
        // teacher at 0, 30, 90, 100 degrees; the student has texts 1 and 2 swapped: 0, 90, 30, 100.
        float[][] t = angles(0, 30, 90, 100);
        float[][] s = angles(0, 90, 30, 100);
        Map<String, Double> m = EmbeddingAgreementEvaluator.compare(t, s);
        // cos 0, cos 60, cos 60, cos 0
        assertEquals((1 + 0.5 + 0.5 + 1) / 4, m.get("mean_cosine"), 1e-7);
        // pair angles (01, 02, 03, 12, 13, 23): teacher 30, 90, 100, 60, 70, 10 -> ranks 2, 5, 6, 3, 4, 1;
        // student 90, 30, 100, 60, 10, 70 -> ranks 5, 2, 6, 3, 1, 4; sum d^2 = 36; rho = 1 - 6*36/(6*35)
        assertEquals(1 - 6.0 * 36 / (6 * 35), m.get("spearman"), 1e-9);
        // nearest neighbours: teacher 1, 0, 3, 2; student 2, 3, 0, 1: no text agrees
        assertEquals(0.0, m.get("top1_agreement"));
        // with 4 texts k = 3 = every other text: the neighbour sets always agree
        assertEquals(1.0, m.get("top10_agreement"));
    }

    @Test
    void studentsOfAnotherWidthAreComparedByTheirSimilarityStructure() {
        float[][] t = random(15, 3, 3);
        float[][] s = new float[15][];
        for (int i = 0; i < 15; i++) {
            s[i] = new float[] {t[i][0], t[i][1], t[i][2], 0f, 0f};
        }
        Map<String, Double> m = EmbeddingAgreementEvaluator.compare(t, s);
        assertFalse(m.containsKey("mean_cosine"), "no one-to-one cosine across widths");
        assertEquals(1.0, m.get("spearman"), 1e-12);
        assertEquals(1.0, m.get("top1_agreement"));
        assertEquals(1.0, m.get("top10_agreement"));
    }

    @Test
    void topTenAgreementCountsTheSharedNeighbours() {
        // 12 texts at angles 10j + 0.37j^2 (no two distances tie); the student moves text 0 far away.
        double[] a = new double[12];
        for (int j = 0; j < 12; j++) {
            a[j] = 10 * j + 0.37 * j * j;
        }
        float[][] t = angles(a);
        double[] b = a.clone();
        b[0] = 175;
        float[][] s = angles(b);
        Map<String, Double> m = EmbeddingAgreementEvaluator.compare(t, s);
        // For text 0: teacher neighbours 1..10, student neighbours (nearest to 175) 11, 10, ..., 2 -> 9 shared.
        // Every text's overlap is recomputed here from the angles themselves (angular distance, ties to the lower
        // index), independently of the evaluator's cosines.
        double expected = 0;
        for (int i = 0; i < 12; i++) {
            expected += shared(a, b, i, 10) / 10.0;
        }
        assertEquals(9, shared(a, b, 0, 10));
        assertEquals(expected / 12, m.get("top10_agreement"), 1e-12);
        assertTrue(m.get("top10_agreement") < 1.0);
    }

    /** |top-k(a) ∩ top-k(b)| for text i, by angular distance (ties to the lower index). */
    static int shared(double[] a, double[] b, int i, int k) {
        java.util.Set<Integer> ta = nearest(a, i, k);
        java.util.Set<Integer> tb = nearest(b, i, k);
        ta.retainAll(tb);
        return ta.size();
    }

    static java.util.Set<Integer> nearest(double[] a, int i, int k) {
        List<Integer> idx = new java.util.ArrayList<>();
        for (int j = 0; j < a.length; j++) {
            if (j != i) {
                idx.add(j);
            }
        }
        idx.sort((x, y) -> {
            int c = Double.compare(Math.abs(a[x] - a[i]), Math.abs(a[y] - a[i]));
            return c != 0 ? c : Integer.compare(x, y);
        });
        return new java.util.HashSet<>(idx.subList(0, k));
    }

    @Test
    void compareRejectsMismatchedOrTooFewVectors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingAgreementEvaluator.compare(random(4, 2, 1), random(5, 2, 1)));
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingAgreementEvaluator.compare(random(2, 2, 1), random(2, 2, 1)));
        assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
        float[][] bad = random(3, 2, 1);
        bad[1][0] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> EmbeddingAgreementEvaluator.compare(bad, bad));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void asAnEvaluationCallbackItEmbedsTheHeldOutTextsWithTheStudent() {
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel teacher = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 11, m);
            BertModel other = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 12, m);
            SentenceEncoder teacherEncoder = SentenceEncoder.builder(teacher).pooling(Pooling.mean()).build();
            SentenceEncoder otherEncoder = SentenceEncoder.builder(other).pooling(Pooling.mean()).build();

            EmbeddingAgreementEvaluator self = EmbeddingAgreementEvaluator.builder()
                    .tokens(SentenceTestModels.fiveRows()).teacher(teacherEncoder).student(teacherEncoder).build();
            Map<String, Double> same = self.evaluate(null, 1);
            assertEquals(1.0, same.get("mean_cosine"), 1e-6);
            assertEquals(1.0, same.get("spearman"), 1e-9);
            assertEquals(1.0, same.get("top1_agreement"));

            DistillModel<?, ?> marker = new Marker();
            EmbeddingAgreementEvaluator eval = EmbeddingAgreementEvaluator.builder()
                    .tokens(SentenceTestModels.fiveRows())
                    .teacherVectors(teacherEncoder.encode(SentenceTestModels.fiveRows()))
                    .student(model -> {
                        assertSame(marker, model, "the engine's student is handed to the resolver");
                        return otherEncoder;
                    })
                    .build();
            Map<String, Double> diff = eval.evaluate(marker, 7);
            assertEquals(EmbeddingAgreementEvaluator.compare(eval.teacherVectors(),
                    otherEncoder.encode(SentenceTestModels.fiveRows())), diff);
            assertTrue(diff.get("mean_cosine") < 0.999, "another random model differs: " + diff);

            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddingAgreementEvaluator
                    .builder().tokens(SentenceTestModels.fiveRows()).teacher(teacherEncoder).build()
                    .evaluate(marker, 1));
            assertTrue(e.getMessage().contains("student(...)"), e.getMessage());
        }
    }

    @Test
    void builderNeedsHeldOutTextsAndATeacher() {
        assertThrows(IllegalStateException.class, () -> EmbeddingAgreementEvaluator.builder()
                .teacherVectors(random(3, 2, 1)).build());
        assertThrows(IllegalStateException.class, () -> EmbeddingAgreementEvaluator.builder()
                .texts(List.of("a", "b", "c")).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddingAgreementEvaluator
                .builder().texts(List.of("a", "b", "c")).teacherVectors(random(4, 2, 1)).build());
        assertTrue(e.getMessage().contains("4 rows") && e.getMessage().contains("3 held-out"), e.getMessage());
    }

    /** A stand-in for the engine's student wrapper. */
    static final class Marker implements DistillModel<Object, Object> {
        @Override
        public Object forward(ParameterStore parameters, Object batch, NDManager manager, boolean training) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Parameter> parameters() {
            return Map.of();
        }

        @Override
        public void save(Path dir) {}

        @Override
        public void restore(Path dir) {}
    }
}
