package ai.distill4j.model.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertInputs;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertTokenizerTest {

    /** MiniLM's uncased BERT WordPiece tokenizer, from the langchain4j test dependency (its file pads to 128). */
    static Path tokenizerJson;

    @BeforeAll
    static void extract(@TempDir Path dir) throws IOException {
        tokenizerJson = dir.resolve("tokenizer.json");
        try (InputStream in = BertTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, tokenizerJson);
        }
    }

    @Test
    void singleTextsGetClsSepAndPadToTheLongestRow() throws IOException {
        try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(16).build()) {
            TokenizedBatch b = tok.encode(List.of("hello world", "hello"));
            assertEquals(2, b.size());
            assertEquals(4, b.sequenceLength(), "padded to the longest row, not to the file's 128");
            assertArrayEquals(new long[] {101, 7592, 2088, 102}, b.ids()[0]);
            assertArrayEquals(new long[] {101, 7592, 102, 0}, b.ids()[1]);
            assertArrayEquals(new long[] {1, 1, 1, 0}, b.mask()[1]);
            assertArrayEquals(new long[] {0, 0, 0, 0}, b.types()[0]);
            assertEquals("hello world", tok.decode(b.ids()[0], true));
        }
    }

    @Test
    void longTextsAreTruncatedToMaxLengthWithSepKept() throws IOException {
        String longText = "one two three four five six seven eight nine ten eleven twelve";
        try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(6)
                .padding(BertTokenizer.Padding.MAX_LENGTH).build()) {
            TokenizedBatch b = tok.encode(List.of(longText, "hi"));
            assertEquals(6, b.sequenceLength());
            assertEquals(102, b.ids()[0][5], "[SEP] closes a truncated row");
            assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0}, b.mask()[1]);
        }
        try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(6).truncation(false).build()) {
            assertTrue(tok.encode(List.of(longText)).sequenceLength() > 6);
        }
    }

    @Test
    void pairsGetSegmentIdsAndPaddingRoundsToTheMultiple() throws IOException {
        try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(32).padToMultipleOf(8).build()) {
            TokenizedBatch b = tok.encodePairs(List.of("hello"), List.of("world"));
            assertEquals(8, b.sequenceLength());
            assertArrayEquals(new long[] {101, 7592, 102, 2088, 102, 0, 0, 0}, b.ids()[0]);
            assertArrayEquals(new long[] {0, 0, 0, 1, 1, 0, 0, 0}, b.types()[0]);
        }
    }

    @Test
    void batchesBecomeInt64ModelInputs() throws IOException {
        try (BertTokenizer tok = BertTokenizer.builder(tokenizerJson).maxLength(8).build();
                NDManager m = NDManager.newBaseManager()) {
            BertInputs in = tok.encode(List.of("hello world", "hello")).toInputs(m);
            assertEquals(new Shape(2, 4), in.inputIds().getShape());
            assertEquals(DataType.INT64, in.attentionMask().getDataType());
            assertArrayEquals(new long[] {101, 7592, 2088, 102, 101, 7592, 102, 0}, in.inputIds().toLongArray());
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 0}, in.attentionMask().toLongArray());
        }
    }

    @Test
    void maxLengthMustBeExplicit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertTokenizer.builder(tokenizerJson).build());
        assertTrue(e.getMessage().contains("maxLength"), e.getMessage());
    }

    @Test
    void raggedBatchesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TokenizedBatch(new long[][] {{1, 2}, {1}},
                new long[][] {{1, 1}, {1}}, new long[][] {{0, 0}, {0}}));
    }
}
