package ai.distill4j.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.examples.data.SpamDataset;
import ai.distill4j.model.onnx.BundledMiniLm;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledTextsTest {

    @TempDir
    Path tmp;

    private static LabeledTexts numbered(int ham, int spam) {
        List<String> texts = new ArrayList<>();
        long[] labels = new long[ham + spam];
        for (int i = 0; i < ham + spam; i++) {
            texts.add("email " + i);
            labels[i] = i < ham ? 0 : 1; // one long run per label, like the split files
        }
        return new LabeledTexts(texts, labels);
    }

    @Test
    void sampleKeepsEachLabelsShareAndMixesThem() {
        LabeledTexts all = numbered(70, 30);
        LabeledTexts s = all.sample(20, 7);
        assertEquals(20, s.size());
        assertEquals(6, s.count(1));
        assertEquals(14, s.count(0));
        assertEquals(20, new HashSet<>(s.texts()).size(), "no text drawn twice");
        int changes = 0;
        for (int i = 1; i < s.size(); i++) {
            changes += s.labels()[i] != s.labels()[i - 1] ? 1 : 0;
        }
        assertTrue(changes >= 4, "labels are interleaved, not in runs: " + changes + " changes");
        for (int i = 0; i < s.size(); i++) {
            int n = Integer.parseInt(s.texts().get(i).substring(6));
            assertEquals(n < 70 ? 0 : 1, s.labels()[i], "each text keeps its label");
        }
    }

    @Test
    void sampleIsDeterministicPerSeed() {
        LabeledTexts all = numbered(70, 30);
        assertEquals(all.sample(20, 7), all.sample(20, 7));
        assertNotEquals(all.sample(20, 7), all.sample(20, 8));
    }

    @Test
    void sampleOfZeroOrMoreThanAllIsEveryTextInAnotherOrder() {
        LabeledTexts all = numbered(7, 3);
        LabeledTexts s = all.sample(0, 1);
        assertEquals(10, s.size());
        assertEquals(new HashSet<>(all.texts()), new HashSet<>(s.texts()));
        assertEquals(10, all.sample(500, 1).size());
    }

    @Test
    void spamSubsetsKeepTheSpamShareOfTheSplit() throws Exception {
        LabeledTexts train = LabeledTexts.of(SpamDataset.read(SpamDataset.locate(), SpamDataset.Split.TRAIN));
        LabeledTexts s = train.sample(640, 42);
        assertEquals(Math.round(640.0 * train.count(1) / train.size()), s.count(1));
        assertTrue(s.texts().stream().noneMatch(t -> t.contains("\n") || t.contains("\t")));
    }

    @Test
    void textsWithTabsOrLineBreaksAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LabeledTexts(List.of("a\tb"), new long[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new LabeledTexts(List.of("a\nb"), new long[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new LabeledTexts(List.of("a"), new long[] {0, 1}));
    }

    @Test
    void tsvReadByARunFileGivesTheSameTokensAsTokenize() throws Exception {
        Path tokenizer = tmp.resolve("tokenizer.json");
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tokenizer);
        }
        LabeledTexts texts = new LabeledTexts(
                List.of("Cheap meds, click now!!!", "Re: [ILUG] kernel 2.4.19 build fails", "", "ok"),
                new long[] {1, 0, 0, 1});
        Path tsv = tmp.resolve("data.tsv");
        texts.writeTsv(tsv);
        assertEquals("text\tlabel", Files.readAllLines(tsv).get(0));
        Examples direct = texts.tokenize(tokenizer, 16);
        Examples viaTsv = Examples.readTsv(tsv, "text", "label", tokenizer, 16, Map.of());
        List<BertBatch> a = direct.batches(4);
        List<BertBatch> b = viaTsv.batches(4);
        assertEquals(1, a.size());
        assertEquals(1, b.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a.get(0).inputIds()[i], b.get(0).inputIds()[i], "row " + i);
            assertArrayEquals(a.get(0).attentionMask()[i], b.get(0).attentionMask()[i], "row " + i);
        }
        assertArrayEquals(new long[] {1, 0, 0, 1}, b.get(0).labels());
        assertEquals(16, a.get(0).inputIds()[0].length);
        assertEquals(101, a.get(0).inputIds()[0][0], "[CLS] first");
    }
}
