package ai.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.onnx.BundledMiniLm;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class Distill4jCliTest {

    @TempDir
    static Path tmp;

    private static Path teacher;
    private static CliRun importRun;

    @BeforeAll
    static void importTheDefaultTeacher() {
        teacher = tmp.resolve("teacher");
        importRun = CliRun.of("import-onnx", "--default", "--output", teacher.toString());
    }

    @Test
    void importOnnxDefaultWritesAHuggingFaceFolder() throws Exception {
        assertEquals(0, importRun.exitCode(), importRun.toString());
        assertTrue(importRun.out().contains("layers=6 hidden=384 heads=12 intermediate=1536 vocab=30522"),
                importRun.out());
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertTrue(Files.size(teacher.resolve(f)) > 0, f);
        }
        JsonObject config = JsonParser.parseString(Files.readString(teacher.resolve("config.json"))).getAsJsonObject();
        assertEquals(12, config.get("num_attention_heads").getAsInt());
        assertEquals("BertModel", config.getAsJsonArray("architectures").get(0).getAsString());
    }

    @Test
    void encodeWritesTokenizerIdsAndUnpaddedHiddenStatesThatMatchOnnxRuntime() throws Exception {
        List<String> lines = List.of("Hello world!", "", "The quick brown fox jumps over the lazy dog.", "   ",
                "Distillation.");
        Path in = tmp.resolve("lines.txt");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Path out = tmp.resolve("out/hidden.jsonl");
        CliRun run = CliRun.of("encode", "--model", teacher.toString(), "--input", in.toString(),
                "--output", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<String> json = Files.readAllLines(out, StandardCharsets.UTF_8);
        List<String> texts = lines.stream().filter(l -> !l.isBlank()).toList();
        assertEquals(texts.size(), json.size());

        byte[] onnx;
        try (InputStream s = BundledMiniLm.openOnnx()) {
            onnx = s.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (HuggingFaceTokenizer tok = unpaddedTokenizer(128);
                OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
            for (int i = 0; i < texts.size(); i++) {
                JsonObject row = JsonParser.parseString(json.get(i)).getAsJsonObject();
                long[] ids = toLongs(row.getAsJsonArray("ids"));
                long[] expected = tok.encode(texts.get(i)).getIds();
                assertArrayEquals(expected, ids, "ids of line " + i);
                assertEquals(101, ids[0]);
                assertEquals(102, ids[ids.length - 1]);
                JsonArray hidden = row.getAsJsonArray("hidden");
                assertEquals(ids.length, hidden.size(), "one hidden row per token, no padding");
                float[][] reference = runOnnx(env, session, ids);
                double maxAbs = 0;
                for (int t = 0; t < ids.length; t++) {
                    JsonArray h = hidden.get(t).getAsJsonArray();
                    assertEquals(384, h.size());
                    for (int k = 0; k < 384; k++) {
                        maxAbs = Math.max(maxAbs, Math.abs(h.get(k).getAsFloat() - reference[t][k]));
                    }
                }
                assertTrue(maxAbs < 1e-4, "line " + i + " differs from ONNX Runtime by " + maxAbs);
            }
        }
        assertNotEquals(JsonParser.parseString(json.get(0)).getAsJsonObject().getAsJsonArray("ids").size(),
                JsonParser.parseString(json.get(1)).getAsJsonObject().getAsJsonArray("ids").size());
        assertTrue(run.out().startsWith("encoded 3 lines"), run.out());
    }

    @Test
    void encodeTruncatesAtMaxLengthKeepingSeparator() throws Exception {
        Path in = tmp.resolve("long.txt");
        Files.writeString(in, "word ".repeat(200) + "\n", StandardCharsets.UTF_8);
        Path out = tmp.resolve("long.jsonl");
        CliRun run = CliRun.of("encode", "--model", teacher.toString(), "--input", in.toString(),
                "--output", out.toString(), "--max-length", "16");
        assertEquals(0, run.exitCode(), run.toString());
        JsonObject row = JsonParser.parseString(Files.readAllLines(out).get(0)).getAsJsonObject();
        long[] ids = toLongs(row.getAsJsonArray("ids"));
        assertEquals(16, ids.length);
        assertEquals(102, ids[15]);
        assertEquals(16, row.getAsJsonArray("hidden").size());
    }

    @Test
    void demoFindsTheParaphraseOfEverySentence() {
        CliRun run = CliRun.of("demo", "--cache", teacher.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("layers=6 hidden=384 heads=12"), run.out());
        // the built-in sentences come in paraphrase pairs (0,1), (2,3), (4,5)
        for (int i = 0; i < 6; i++) {
            assertTrue(run.out().contains("[" + i + "] -> [" + (i ^ 1) + "]"), run.out());
        }
    }

    @Test
    void exportOnnxWritesAGraphThatOnnxRuntimeRunsLikeTheOriginal() throws Exception {
        Path file = tmp.resolve("export/minilm.onnx");
        CliRun run = CliRun.of("export-onnx", "--model", teacher.toString(), "--output", file.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("opset 17, outputs last_hidden_state:"), run.out());
        byte[] original;
        try (InputStream s = BundledMiniLm.openOnnx()) {
            original = s.readAllBytes();
        }
        long[] ids;
        try (HuggingFaceTokenizer tok = unpaddedTokenizer(128)) {
            ids = tok.encode("Exported graphs run anywhere ONNX runs.").getIds();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession a = env.createSession(original, new OrtSession.SessionOptions());
                OrtSession b = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            float[][] x = runOnnx(env, a, ids);
            float[][] y = runOnnx(env, b, ids);
            double maxAbs = 0;
            for (int t = 0; t < ids.length; t++) {
                for (int k = 0; k < 384; k++) {
                    maxAbs = Math.max(maxAbs, Math.abs(x[t][k] - y[t][k]));
                }
            }
            assertTrue(maxAbs < 1e-4, "exported graph differs from the original by " + maxAbs);
        }
    }

    @Test
    void exportWithLogitsFromAnEncoderWithoutClassifierFailsWithOneLine() {
        CliRun run = CliRun.of("export-onnx", "--model", teacher.toString(), "--output",
                tmp.resolve("x.onnx").toString(), "--head", "classification");
        assertEquals(Distill4jCli.EXIT_FAILURE, run.exitCode());
        List<String> errors = run.errLines().stream().filter(l -> l.contains("error:")).toList();
        assertEquals(1, errors.size(), run.err());
        assertTrue(errors.get(0).contains("--head none"), run.err());
    }

    @Test
    void missingModelFolderFailsWithOneLine() throws Exception {
        Path in = tmp.resolve("one.txt");
        Files.writeString(in, "hello\n");
        CliRun run = CliRun.of("encode", "--model", tmp.resolve("nope").toString(), "--input", in.toString(),
                "--output", tmp.resolve("x.jsonl").toString());
        assertEquals(Distill4jCli.EXIT_FAILURE, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("distill4j encode: error: model folder not found: "), run.err());
        assertTrue(run.out().isEmpty());
    }

    @Test
    void aFileThatIsNotOnnxFailsWithOneLineAndVerboseAddsTheTrace() throws Exception {
        Path bad = tmp.resolve("bad.onnx");
        Files.writeString(bad, "not a model");
        CliRun run = CliRun.of("import-onnx", "--onnx", bad.toString(), "--output", tmp.resolve("o").toString());
        assertEquals(Distill4jCli.EXIT_FAILURE, run.exitCode());
        List<String> errors = run.errLines().stream().filter(l -> l.contains("error:")).toList();
        assertEquals(1, errors.size(), run.err());
        assertTrue(errors.get(0).contains("not a valid ONNX model") && errors.get(0).contains("bad.onnx"), run.err());
        assertTrue(run.errLines().size() <= 2, run.err()); // at most the "reading" progress line before it

        CliRun verbose = CliRun.of("import-onnx", "--verbose", "--onnx", bad.toString(), "--output",
                tmp.resolve("o").toString());
        assertEquals(Distill4jCli.EXIT_FAILURE, verbose.exitCode());
        assertTrue(verbose.err().contains("\tat ai.distill4j."), verbose.err());
    }

    @Test
    void usageErrorsExitWithTwoAndOneLine() {
        CliRun missing = CliRun.of("import-onnx", "--default");
        assertEquals(Distill4jCli.EXIT_USAGE, missing.exitCode());
        assertEquals(1, missing.errLines().size(), missing.err());
        assertTrue(missing.err().contains("--output"), missing.err());

        CliRun both = CliRun.of("import-onnx", "--default", "--onnx", "x.onnx", "--output", "o");
        assertEquals(Distill4jCli.EXIT_USAGE, both.exitCode());
        assertEquals(1, both.errLines().size(), both.err());

        CliRun unknown = CliRun.of("encode", "--model", "m", "--input", "i", "--output", "o", "--max-lenght", "3");
        assertEquals(Distill4jCli.EXIT_USAGE, unknown.exitCode());
        assertEquals(1, unknown.errLines().size(), unknown.err());

        CliRun bareCommand = CliRun.of();
        assertEquals(Distill4jCli.EXIT_USAGE, bareCommand.exitCode());
    }

    @Test
    void importRefusesToOverwriteACheckpointWithoutForce() {
        CliRun run = CliRun.of("import-onnx", "--default", "--output", teacher.toString());
        assertEquals(Distill4jCli.EXIT_FAILURE, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains("--force"), run.err());
    }

    @Test
    void helpWalksIntoSubcommands() {
        CliRun nested = CliRun.of("help", "example", "embedding");
        assertEquals(0, nested.exitCode(), nested.err());
        assertEquals(CliRun.of("example", "embedding", "--help").out(), nested.out());
        assertTrue(nested.out().startsWith("Usage: distill4j example embedding"), nested.out());
        CliRun top = CliRun.of("help");
        assertTrue(top.out().startsWith("Usage: distill4j "), top.out());
        CliRun unknown = CliRun.of("help", "example", "nope");
        assertEquals(Distill4jCli.EXIT_USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown command 'nope' of 'example'; the commands of 'example' are ["),
                unknown.err());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String name : Distill4jCli.newCommandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            CliRun run = CliRun.of(name, "--help");
            assertEquals(0, run.exitCode(), name);
            assertTrue(run.out().startsWith("Usage: distill4j " + name), run.out());
        }
        CommandLine top = Distill4jCli.newCommandLine();
        assertTrue(top.getSubcommands().keySet()
                .containsAll(List.of("import-onnx", "encode", "demo", "export-onnx")));
    }

    private static HuggingFaceTokenizer unpaddedTokenizer(int maxLength) throws Exception {
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(teacher.resolve("tokenizer.json"))
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(maxLength)
                .optPadding(false)
                .build();
    }

    private static float[][] runOnnx(OrtEnvironment env, OrtSession session, long[] ids) throws Exception {
        long[][] idRow = {ids};
        long[][] mask = {new long[ids.length]};
        java.util.Arrays.fill(mask[0], 1L);
        long[][] types = {new long[ids.length]};
        try (OnnxTensor a = OnnxTensor.createTensor(env, idRow);
                OnnxTensor b = OnnxTensor.createTensor(env, mask);
                OnnxTensor c = OnnxTensor.createTensor(env, types);
                OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            return ((float[][][]) r.get("last_hidden_state").orElseThrow().getValue())[0];
        }
    }

    private static long[] toLongs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }
}
