package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.distill4j.ValidationException;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.model.bert.BertConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad data line is reported with its file and line; examples are checked against a model's limits. */
class ExamplesValidationTest {

    @TempDir
    Path tmp;

    private static final String GOOD = "{\"input_ids\": [2, 7, 9, 3], \"attention_mask\": [1, 1, 1, 1], "
            + "\"token_type_ids\": [0, 0, 0, 0], \"label\": 1}";

    private String error(String... lines) throws Exception {
        Path f = tmp.resolve("d.jsonl");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return assertThrows(ValidationException.class, () -> Examples.readJsonLines(f)).getMessage()
                .substring(f.toString().length());
    }

    @Test
    void malformedLinesNameTheLineTheValueAndTheRule() throws Exception {
        assertEquals(":2: empty line; every line up to the last one must hold one example", error(GOOD, "", GOOD));
        assertEquals(":2: not valid JSON (java.io.EOFException: End of input at line 1 column 17 path "
                + "$.input_ids[1])", error(GOOD, "{\"input_ids\": [1"));
        assertEquals(":1: expected a JSON object with input_ids, got [1, 2, 3]", error("[1, 2, 3]"));
        assertEquals(":2: missing 'input_ids'", error(GOOD, "{\"label\": 1}"));
        assertEquals(":1: input_ids = \"2 7 9\": must be a list of integers", error("{\"input_ids\": \"2 7 9\"}"));
        assertEquals(":1: input_ids[1] = 7.5: must be an integer below 2^31", error("{\"input_ids\": [2, 7.5]}"));
        assertEquals(":1: input_ids[1] = 3000000000: must be an integer below 2^31",
                error("{\"input_ids\": [2, 3000000000]}"));
        assertEquals(":1: input_ids[0] = -2: must be >= 0", error("{\"input_ids\": [-2, 7]}"));
        assertEquals(":1: input_ids[1] = \"7\": must be an integer", error("{\"input_ids\": [2, \"7\"]}"));
        assertEquals(":1: input_ids = []: an example needs at least one token", error("{\"input_ids\": []}"));
        assertEquals(":1: attention_mask has 3 entries but input_ids has 4",
                error("{\"input_ids\": [2, 7, 9, 3], \"attention_mask\": [1, 1, 1]}"));
        assertEquals(":1: attention_mask[2] = 2: mask values must be 0 or 1",
                error("{\"input_ids\": [2, 7, 9, 3], \"attention_mask\": [1, 1, 2, 0]}"));
        assertEquals(":1: token_type_ids has 2 entries but input_ids has 4",
                error("{\"input_ids\": [2, 7, 9, 3], \"token_type_ids\": [0, 0]}"));
        assertEquals(":1: label = -1: must be >= 0", error("{\"input_ids\": [2, 7], \"label\": -1}"));
        assertEquals(":1: label = \"pos\": must be an integer", error("{\"input_ids\": [2, 7], \"label\": \"pos\"}"));
        assertEquals(":2: input_ids has length 2 but line 1 has 4; rows must be padded to one length",
                error(GOOD, GOOD.replace("[2, 7, 9, 3]", "[2, 7]").replace("[1, 1, 1, 1]", "[1, 1]")
                        .replace("[0, 0, 0, 0]", "[0, 0]")));
        assertEquals(":2: has no 'label' but line 1 has one; give it to every example or to none",
                error(GOOD, GOOD.replace(", \"label\": 1", "")));
        assertEquals(":3: has 'token_type_ids' but line 1 has none; give it to every example or to none",
                error("{\"input_ids\": [2, 7]}", "{\"input_ids\": [2, 8]}",
                        "{\"input_ids\": [2, 9], \"token_type_ids\": [0, 0]}"));
    }

    @Test
    void textThatIsNotUtf8NamesItsLine() throws Exception {
        Path f = tmp.resolve("latin1.jsonl");
        byte[] bad = "{\"input_ids\": [2, 3], \"text\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] good = (GOOD + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[good.length * 2 + bad.length + 1];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(good, 0, all, good.length, good.length);
        System.arraycopy(bad, 0, all, 2 * good.length, bad.length);
        all[all.length - 1] = '\n';
        Files.write(f, all);
        assertEquals(f + ":3: not valid UTF-8 text; save the file as UTF-8",
                assertThrows(ValidationException.class, () -> Examples.readJsonLines(f)).getMessage());
    }

    @Test
    void trailingBlankLinesAndCrLfAreFine() throws Exception {
        Path f = tmp.resolve("ok.jsonl");
        Files.writeString(f, "\uFEFF" + GOOD + "\r\n" + GOOD + "\r\n\r\n\n");
        assertEquals(2, Examples.readJsonLines(f).size());
    }

    /** Two examples of {@code length} tokens; the second ends with the given id and type and has the label. */
    private Examples examples(int length, long id, long type, long label) throws Exception {
        StringBuilder plain = new StringBuilder();
        StringBuilder zeros = new StringBuilder();
        StringBuilder ids = new StringBuilder();
        StringBuilder types = new StringBuilder();
        for (int i = 0; i < length; i++) {
            String sep = i == 0 ? "" : ", ";
            plain.append(sep).append(5);
            zeros.append(sep).append(0);
            ids.append(sep).append(i == length - 1 ? id : 5);
            types.append(sep).append(i == length - 1 ? type : 0);
        }
        Path f = tmp.resolve("fit.jsonl");
        Files.writeString(f, "{\"input_ids\": [" + plain + "], \"token_type_ids\": [" + zeros + "], \"label\": 0}\n"
                + "{\"input_ids\": [" + ids + "], \"token_type_ids\": [" + types + "], \"label\": " + label + "}\n");
        return Examples.readJsonLines(f);
    }

    private static final BertConfig MODEL = BertConfig.builder().vocabSize(50).hiddenSize(8).numHiddenLayers(1)
            .numAttentionHeads(2).intermediateSize(16).maxPositionEmbeddings(6).typeVocabSize(2).numLabels(3).build();

    private String fitError(Examples e, LongSequences policy) {
        return assertThrows(ValidationException.class, () -> e.fitTo(MODEL, "student", policy, true)).getMessage()
                .substring(tmp.resolve("fit.jsonl").toString().length());
    }

    @Test
    void examplesAreCheckedAgainstTheModel() throws Exception {
        Examples ok = examples(4, 49, 1, 2);
        assertSame(ok, ok.fitTo(MODEL, "student", LongSequences.REJECT, true));
        assertEquals(":2: input_ids[3] = 50: token id outside the vocabulary of the student (vocab_size 50)",
                fitError(examples(4, 50, 0, 0), LongSequences.REJECT));
        assertEquals(":2: token_type_ids[3] = 2: token type outside the student's type_vocab_size 2",
                fitError(examples(4, 7, 2, 0), LongSequences.REJECT));
        assertEquals(":2: label = 3: the student has num_labels = 3 (labels 0..2)",
                fitError(examples(4, 7, 0, 3), LongSequences.REJECT));
        examples(4, 7, 0, 3).fitTo(MODEL, "teacher", LongSequences.REJECT, false); // labels unused: no check
        assertEquals(":1: the examples are 8 tokens long but the student accepts at most max_position_embeddings = 6 "
                + "positions; shorten them or set \"long_sequences\": \"truncate\"",
                fitError(examples(8, 7, 0, 0), LongSequences.REJECT));
    }

    @Test
    void longExamplesCanBeTruncated() throws Exception {
        Examples cut = examples(8, 7, 1, 0).fitTo(MODEL, "student", LongSequences.TRUNCATE, true);
        BertBatch b = cut.batches(2).get(0);
        assertEquals(6, b.sequenceLength());
        assertArrayEquals(new long[] {5, 5, 5, 5, 5, 5}, b.inputIds()[1]);
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1}, b.attentionMask()[1]);
    }
}
