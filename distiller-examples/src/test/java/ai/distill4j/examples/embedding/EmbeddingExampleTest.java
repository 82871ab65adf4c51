package ai.distill4j.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.eval.EmbeddingAgreementEvaluator;
import ai.distill4j.distill.eval.RetrievalEvaluator;
import ai.distill4j.model.sentence.SentenceModel;
import ai.distill4j.model.sentence.SentenceTransformers;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole embedding example on a tiny random teacher: data, training, evaluation, saving and reloading. */
class EmbeddingExampleTest {

    @TempDir
    Path tmp;

    @Test
    void aNarrowStudentTrainsSavesAndReloadsToTheSameVectors() throws IOException {
        Path teacher = TinyBert.write(tmp.resolve("teacher"), 7);
        EmbeddingSettings settings = EmbeddingSettings.smoke().teacherDir(teacher).workDir(tmp.resolve("work"))
                .student(EmbeddingSettings.StudentKind.NARROW).narrowHidden(16).layers(1, 3)
                .objectives(List.of(EmbeddingObjective.FULL)).trainTexts(16).heldOut(24).retrievalQueries(12)
                .build();
        StringWriter log = new StringWriter();
        EmbeddingReport r = EmbeddingExample.run(settings, new PrintWriter(log, true), false);

        assertEquals(3, r.rows().size(), r.toMarkdown());
        EmbeddingScores teacherRow = r.rows().get(0);
        EmbeddingScores trained = r.rows().get(2);
        assertEquals("teacher", teacherRow.model());
        assertEquals(32, teacherRow.hidden());
        assertEquals(16, trained.hidden());
        assertEquals(2, trained.layers());
        assertEquals("full", trained.objective());
        assertTrue(trained.trainSeconds() > 0);
        // A narrower student has no teacher-student cosine, but ranks and neighbours compare.
        assertTrue(Double.isNaN(trained.metric(EmbeddingAgreementEvaluator.MEAN_COSINE)));
        double spearman = trained.metric(EmbeddingAgreementEvaluator.SPEARMAN);
        assertTrue(spearman >= -1 && spearman <= 1, "spearman " + spearman);
        for (EmbeddingScores row : r.rows()) {
            double mrr = row.metric(RetrievalEvaluator.MRR);
            assertTrue(mrr > 0 && mrr <= 1, row.model() + " mrr " + mrr);
            assertTrue(row.metric(RetrievalEvaluator.RECALL_AT_1) <= mrr + 1e-12);
        }
        assertEquals(24, r.heldOutTexts());
        assertEquals(12, r.retrievalQueries());
        assertEquals(2, r.trainBatches());

        Path folder = r.savedStudents().get(0);
        assertTrue(SentenceTransformers.isSentenceTransformersFolder(folder));
        assertTrue(r.reloadMaxAbsDiff().get(0) < 1e-6, "reload difference " + r.reloadMaxAbsDiff().get(0));
        try (NDManager m = NDManager.newBaseManager(); SentenceModel loaded = SentenceTransformers.load(folder, m)) {
            assertEquals(16, loaded.dimension());
            assertEquals(EmbeddingExample.POOLING, loaded.pooling());
            float[][] v = loaded.encoder(4).encode(List.of("Hello there.", "Hello there."));
            // one text twice in a batch: equal up to the last bit a GEMM kernel may round differently per row
            assertArrayEquals(v[0], v[1], 1e-6f);
            double norm = 0;
            for (float x : v[0]) {
                norm += x * x;
            }
            assertEquals(1.0, norm, 1e-5);
        }
        assertTrue(Files.isRegularFile(settings.workDir().resolve("embedding/narrow-full/train/metrics.jsonl")));
        assertTrue(r.toMarkdown().startsWith(EmbeddingReport.TABLE_HEADER), r.toMarkdown());
    }

    @Test
    void trainingOnEachObjectiveShrinksTheSentenceMseTowardTheTeacher() throws IOException {
        Path teacher = TinyBert.write(tmp.resolve("teacher"), 8);
        EmbeddingSettings settings = EmbeddingSettings.smoke().teacherDir(teacher).workDir(tmp.resolve("work"))
                .layers(3).objectives(List.of(EmbeddingObjective.MSE, EmbeddingObjective.MSE_CKD))
                .trainTexts(128).batchSize(8).learningRate(3e-3).heldOut(24).retrievalQueries(12).build();
        EmbeddingReport r = EmbeddingExample.run(settings, new PrintWriter(new StringWriter(), true), false);

        assertEquals(4, r.rows().size(), r.toMarkdown());
        assertEquals(List.of("mse", "mse+ckd"), r.rows().subList(2, 4).stream().map(EmbeddingScores::objective)
                .toList());
        for (String run : List.of("layers-mse", "layers-mse+ckd")) {
            List<Double> mse = column(settings.workDir().resolve("embedding").resolve(run)
                    .resolve("train/metrics.jsonl"), "unweighted_sentence_embedding_mse_0_0");
            assertEquals(16, mse.size());
            double first = mse.subList(0, 4).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double last = mse.subList(12, 16).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertTrue(last < 0.8 * first, run + ": embedding_mse " + first + " -> " + last);
        }
        for (double d : r.reloadMaxAbsDiff()) {
            assertTrue(d < 1e-6, "reload difference " + d);
        }
    }

    private static List<Double> column(Path metricsJsonl, String key) throws IOException {
        List<Double> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(metricsJsonl)) {
            out.add(com.google.gson.JsonParser.parseString(line).getAsJsonObject().get(key).getAsDouble());
        }
        return out;
    }
}
