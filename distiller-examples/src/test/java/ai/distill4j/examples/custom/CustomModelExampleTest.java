package ai.distill4j.examples.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.examples.embedding.TinyBert;
import ai.distill4j.examples.multiteacher.ClassificationReport;
import ai.distill4j.examples.multiteacher.ClassifierRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole custom-model example on a tiny random base model. */
class CustomModelExampleTest {

    @TempDir
    Path tmp;

    @Test
    void theConvolutionalStudentTrainsThroughItsOwnAdaptorBesideItsTeacher() throws IOException {
        Path base = TinyBert.write(tmp.resolve("base"), 6);
        CustomModelSettings settings = CustomModelSettings.smoke().baseDir(base).workDir(tmp.resolve("work"))
                .filters(16).testLimit(32).build();
        StringWriter log = new StringWriter();
        ClassificationReport r = CustomModelExample.run(settings, new PrintWriter(log, true), false);

        assertEquals(3, r.rows().size(), r.toMarkdown());
        ClassifierRow teacher = r.rows().get(0);
        ClassifierRow kd = r.row("conv student (KD from BERT)");
        ClassifierRow labels = r.row("conv student (labels only)");
        assertEquals(4, teacher.layers());
        // token table 30522 x 32 (the teacher's width) + conv 16 x 32 x 3 + 16 + classifier 2 x 16 + 2
        long expected = 30522L * 32 + 16 * 32 * 3 + 16 + 2 * 16 + 2;
        assertEquals(expected, kd.parameters());
        assertEquals(expected, labels.parameters());
        for (ClassifierRow row : r.rows()) {
            assertEquals(32, row.scores().examples());
        }
        assertTrue(Double.isNaN(teacher.agreement()));
        assertTrue(kd.agreement() >= 0 && kd.agreement() <= 1);
        String text = log.toString();
        assertTrue(text.contains("unweighted_kd_loss"), text);
        assertTrue(text.contains("unweighted_sentence_embedding_mse_0_0"), text);
        Path saved = settings.workDir().resolve("custom-model/kd/student");
        assertTrue(Files.isRegularFile(saved.resolve(ConvDistillModel.WEIGHTS)));
        assertTrue(Files.isRegularFile(saved.resolve(ConvTextConfig.FILE)));
    }
}
