package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.adapt.BertBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading examples from JSON lines and from raw-text TSV, and grouping them into batches. */
class ExamplesTest {

    @TempDir
    Path tmp;

    @Test
    void jsonLinesAreBatchedInFileOrderWithAPartialLastBatch() throws IOException {
        Path f = tmp.resolve("d.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append("{\"input_ids\": [101, ").append(i).append(", 102], \"attention_mask\": [1, 1, 1], \"label\": ")
                    .append(i % 2).append("}\n");
        }
        Files.writeString(f, sb);
        Examples e = Examples.readJsonLines(f);
        List<BertBatch> batches = e.batches(2);
        assertEquals(3, batches.size());
        assertEquals(1, batches.get(2).size());
        assertArrayEquals(new long[] {101, 2, 102}, batches.get(1).inputIds()[0]);
        assertArrayEquals(new long[] {0, 1}, batches.get(0).labels());
        assertEquals(e.shuffledBatches(2, 7, 3).get(0).inputIds()[0][1],
                e.shuffledBatches(2, 7, 3).get(0).inputIds()[0][1], "a seeded shuffle is reproducible");
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        Path f = tmp.resolve("bad.jsonl");
        Files.writeString(f, "{\"input_ids\": [1, 2]}\n{\"attention_mask\": [1]}\n");
        IOException e = assertThrows(IOException.class, () -> Examples.readJsonLines(f));
        assertTrue(e.getMessage().startsWith(f + ":2: missing 'input_ids'"), e.getMessage());
    }

    @Test
    void tsvTextIsTokenizedAndLabelsAreMapped() throws IOException {
        Path tok = tmp.resolve("tokenizer.json");
        try (InputStream in = ExamplesTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, tok);
        }
        Path f = tmp.resolve("d.tsv");
        Files.writeString(f, "sentence\tlabel\nhello world\tpositive\na much longer sentence here\tnegative\n");
        Examples e = Examples.readTsv(f, "sentence", "label", tok, 8, Map.of("negative", 0, "positive", 1));
        BertBatch b = e.batches(2).get(0);
        assertEquals(8, b.sequenceLength());
        assertArrayEquals(new long[] {1, 0}, b.labels());
        assertEquals(101, b.inputIds()[0][0]);
        assertEquals(4, b.attentionMask()[0][0] + b.attentionMask()[0][1] + b.attentionMask()[0][2]
                + b.attentionMask()[0][3] + b.attentionMask()[0][4]);
        IOException bad = assertThrows(IOException.class,
                () -> Examples.readTsv(f, "sentence", "label", tok, 8, Map.of()));
        assertTrue(bad.getMessage().contains(":2: label 'positive' is neither an integer nor"), bad.getMessage());
    }
}
