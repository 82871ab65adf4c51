package ai.distill4j.examples.multiteacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.examples.embedding.TinyBert;
import ai.distill4j.model.io.BertModels;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole multi-teacher example on a tiny random base model. */
class MultiTeacherExampleTest {

    @TempDir
    Path tmp;

    @Test
    void teachersOfDifferentSeedsDifferAndTheStudentIsScoredBesideTheirEnsemble() throws IOException {
        Path base = TinyBert.write(tmp.resolve("base"), 5);
        MultiTeacherSettings settings = MultiTeacherSettings.smoke().baseDir(base).workDir(tmp.resolve("work"))
                .studentLayers(0, 2).testLimit(32).build();
        StringWriter log = new StringWriter();
        ClassificationReport r = MultiTeacherExample.run(settings, new PrintWriter(log, true), false);

        assertEquals(4, r.rows().size(), r.toMarkdown());
        ClassifierRow t1 = r.row("teacher seed 1");
        ClassifierRow t2 = r.row("teacher seed 2");
        ClassifierRow ensemble = r.row("ensemble (mean logits)");
        ClassifierRow student = r.row("student (multi-teacher KD)");
        assertEquals(t1.layers() + t2.layers(), ensemble.layers());
        assertEquals(t1.parameters() + t2.parameters(), ensemble.parameters());
        assertEquals(2, student.layers());
        assertTrue(Double.isNaN(ensemble.agreement()));
        assertTrue(student.agreement() >= 0 && student.agreement() <= 1);
        assertTrue(student.parameters() < t1.parameters());
        for (ClassifierRow row : r.rows()) {
            assertEquals(32, row.scores().examples());
            assertTrue(row.scores().accuracy() >= 0 && row.scores().accuracy() <= 1);
        }
        Path dir = settings.workDir().resolve("spam-teachers").resolve(settings.teacherBudget().label());
        float[] w1 = classifier(dir.resolve("seed-1"));
        float[] w2 = classifier(dir.resolve("seed-2"));
        assertFalse(Arrays.equals(w1, w2), "teachers of different seeds have the same classifier");
        assertTrue(Files.isRegularFile(settings.workDir().resolve("multi-teacher/student/model.safetensors")));
        assertTrue(Files.isRegularFile(settings.workDir().resolve("multi-teacher/train/metrics.jsonl")));

        StringWriter again = new StringWriter();
        ClassificationReport r2 = MultiTeacherExample.run(settings, new PrintWriter(again, true), false);
        assertTrue(again.toString().contains("using the spam teacher cached in"), again.toString());
        assertEquals(t1.scores(), r2.row("teacher seed 1").scores());
        assertEquals(ensemble.scores(), r2.row("ensemble (mean logits)").scores());
    }

    private static float[] classifier(Path teacher) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            return BertModels.load(teacher, m).model().namedParameters().get("classifier.weight").getArray()
                    .toFloatArray();
        }
    }
}
