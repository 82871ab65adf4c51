package ai.distill4j.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.distill4j.distill.run.Examples;
import ai.distill4j.distill.run.RunFile;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.distill4j.model.pooling.Pooling;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/embedding-run.json}: the embedding example's {@code full} objective as a run file, on the spam
 * subjects as unlabelled text.
 */
class EmbeddingRunFileTest {

    @TempDir
    Path tmp;

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("examples/embedding-run.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("examples/embedding-run.json not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void committedRunFileTrainsTheFullObjectiveWithMiniLmPooling() throws Exception {
        Path root = repositoryRoot();
        RunFile run = RunFile.read(root.resolve("examples/embedding-run.json"));
        assertEquals("GeneralDistiller", run.distiller());
        assertEquals(Pooling.mean().normalized(), run.sentencePooling());
        assertEquals(EmbeddingExample.POOLING, run.sentencePooling());
        int[] layers = {1, 3, 5};
        assertEquals(EmbeddingObjective.FULL.matches(EmbeddingExample.alignedTeacherHidden(layers),
                List.of(0, 1, 2, 3), 384, 384), run.distillationConfig().intermediateMatches());
        assertEquals(0, run.distillationConfig().kdLossWeight());
        assertEquals(root.resolve("runs/examples/embedding-from-run-file").normalize(), run.outputDir());
    }

    @Test
    void spamSubjectsReadAsUnlabelledTextFromTheGzippedSplits() throws Exception {
        Path tokenizer = tmp.resolve("tokenizer.json");
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tokenizer);
        }
        Path root = repositoryRoot();
        Examples train = Examples.readTsv(root.resolve("data/spam/train.tsv.gz"), "subject", null, tokenizer, 32,
                Map.of());
        assertEquals(4717, train.size());
        assertFalse(train.labelled());
        assertEquals(32, train.sequenceLength());
        Examples dev = Examples.readTsv(root.resolve("data/spam/dev.tsv.gz"), "subject", null, tokenizer, 32,
                Map.of());
        assertEquals(590, dev.size());
    }
}
