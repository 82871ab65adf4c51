package ai.distill4j.model.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextClassifierTest {

    @TempDir
    static Path tmp;

    static Path modelDir;

    @BeforeAll
    static void writeTheKnownAnswerModel() throws IOException {
        modelDir = KnownAnswerModel.write(tmp.resolve("model"));
    }

    @Test
    void textsWithTheTriggerTokenAreSpamAndOthersHamWithExactProbabilities() throws IOException {
        try (TextClassifier c = TextClassifier.load(modelDir)) {
            assertEquals(List.of("ham", "spam"), c.labels());
            Prediction ham = c.predict("Minutes of Monday's meeting");
            assertEquals(0, ham.labelId());
            assertEquals("ham", ham.label());
            assertEquals(KnownAnswerModel.HAM_PROBABILITY, ham.probability(0), 1e-6);
            assertEquals(1 - KnownAnswerModel.HAM_PROBABILITY, ham.probabilitiesByLabel().get("spam"), 1e-6);
            Prediction spam = c.predict("Win the lottery now");
            assertEquals(1, spam.labelId());
            assertEquals("spam", spam.label());
            assertTrue(spam.confidence() > 0.999, "logit gap is large: " + spam);
            assertEquals(1.0, spam.probability(0) + spam.probability(1), 1e-12);
        }
    }

    @Test
    void bucketedBatchesReturnPredictionsInInputOrderAndPaddingChangesNothing() throws IOException {
        List<String> texts = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 1 + (i * 7) % 19; w++) {
                sb.append("word").append(w).append(' ');
            }
            boolean isSpam = i % 3 == 0;
            if (isSpam) {
                sb.append("lottery");
            }
            texts.add(sb.toString());
            expected.add(isSpam ? 1 : 0);
        }
        try (TextClassifier c = TextClassifier.builder(modelDir).batchSize(4).build()) {
            List<Prediction> batched = c.predict(texts);
            assertEquals(23, batched.size());
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(expected.get(i), batched.get(i).labelId(), "text " + i + ": " + texts.get(i));
                Prediction alone = c.predict(texts.get(i));
                assertEquals(alone.probability(1), batched.get(i).probability(1), 1e-6, "text " + i);
            }
            List<Prediction> oneBatch = c.predict(texts, 23);
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(batched.get(i).labelId(), oneBatch.get(i).labelId(), "text " + i);
                assertEquals(batched.get(i).probability(0), oneBatch.get(i).probability(0), 1e-6, "text " + i);
            }
        }
    }

    @Test
    void longTextsAreTruncatedAtMaxLength() throws IOException {
        // the trigger sits after 20 words: with max length 8 it is cut off, so the text becomes ham
        String text = "a ".repeat(20) + "lottery";
        try (TextClassifier wide = TextClassifier.builder(modelDir).maxLength(64).build();
                TextClassifier narrow = TextClassifier.builder(modelDir).maxLength(8).build()) {
            assertEquals("spam", wide.predict(text).label());
            assertEquals("ham", narrow.predict(text).label());
            assertEquals(8, narrow.maxLength());
        }
    }

    @Test
    void anEmptyListGivesNoPredictions() throws IOException {
        try (TextClassifier c = TextClassifier.load(modelDir)) {
            assertEquals(List.of(), c.predict(List.of()));
        }
    }

    @Test
    void aMissingFolderOrTokenizerIsAnErrorNamingTheFile() throws IOException {
        Path missing = tmp.resolve("nope");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TextClassifier.load(missing));
        assertEquals(missing.toString(), e.getFile());

        Path noTokenizer = tmp.resolve("no-tokenizer");
        Files.createDirectories(noTokenizer);
        Files.copy(modelDir.resolve("config.json"), noTokenizer.resolve("config.json"));
        Files.copy(modelDir.resolve("model.safetensors"), noTokenizer.resolve("model.safetensors"));
        IOException io = assertThrows(IOException.class, () -> TextClassifier.load(noTokenizer));
        assertTrue(io.getMessage().startsWith(noTokenizer.resolve("tokenizer.json") + ": missing"), io.getMessage());
    }

    @Test
    void aModelWithoutClassifierOrAnOutOfRangeLengthIsRejected() throws IOException {
        Path encoder = tmp.resolve("encoder");
        Files.createDirectories(encoder);
        for (String f : List.of("model.safetensors", "tokenizer.json")) {
            Files.copy(modelDir.resolve(f), encoder.resolve(f));
        }
        BertConfig.read(modelDir.resolve("config.json")).toBuilder().architectures(List.of("BertModel")).build()
                .write(encoder.resolve("config.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextClassifier.load(encoder));
        assertTrue(e.getMessage().contains("is not a sequence classifier"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> TextClassifier.builder(modelDir).maxLength(129).build());
        assertTrue(e.getMessage().contains("max length = 129 must be in [2, 128]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TextClassifier.builder(modelDir).batchSize(0).build());
        assertTrue(e.getMessage().contains("batch size = 0"), e.getMessage());
    }

    @Test
    void latencyIsAPositiveMedianPerExample() throws IOException {
        assertEquals(2.0, Latency.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Latency.median(new double[] {4, 1, 2, 3}));
        try (TextClassifier c = TextClassifier.load(modelDir)) {
            Latency l = Latency.measure(c, List.of("one text", "another text with lottery"), 4, 1, 3);
            assertEquals(4, l.batchSize());
            assertEquals(3, l.runs());
            assertTrue(l.medianMsPerBatch() > 0);
            assertEquals(l.medianMsPerBatch() / 4, l.msPerExample(), 1e-12);
        }
    }
}
