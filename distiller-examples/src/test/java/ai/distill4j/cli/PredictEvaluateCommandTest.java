package ai.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.predict.KnownAnswerModel;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict and evaluate on the known-answer model: a text is spam exactly when it holds the word "lottery". */
class PredictEvaluateCommandTest {

    @TempDir
    static Path tmp;

    static Path model;

    /** Gold 1 0 1 0 0; the model predicts 1 0 0 1 0 (lottery in rows 1 and 4). */
    static final String SPAM_TSV = String.join("\n",
            "label\tsubject\tbody",
            "1\tYou won\tclaim your lottery prize",
            "0\tMeeting notes\tsee you on monday",
            "spam\tHello\thow are you",
            "ham\tLottery pool at work\t",
            "0\tLunch\ttomorrow?") + "\n";

    @BeforeAll
    static void writeModel() throws IOException {
        model = KnownAnswerModel.write(tmp.resolve("model"));
    }

    @Test
    void predictWritesOneJsonLinePerTextWithLabelsFromConfigJson() throws IOException {
        Path in = tmp.resolve("texts.txt");
        Files.writeString(in, "Minutes of the meeting\n\nWin the LOTTERY today\n   \nthird text\n");
        Path out = tmp.resolve("out/pred.jsonl");
        CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", in.toString(), "--output",
                out.toString(), "--batch-size", "2");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("predicted 3 texts (ham 2, spam 1) in "), run.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(1, first.get("line").getAsInt());
        assertEquals("ham", first.get("label").getAsString());
        assertEquals(0, first.get("label_id").getAsInt());
        JsonObject probs = first.getAsJsonObject("probabilities");
        assertEquals(List.of("ham", "spam"), List.copyOf(probs.keySet()));
        assertEquals(KnownAnswerModel.HAM_PROBABILITY, probs.get("ham").getAsDouble(), 1e-6);
        assertEquals(1 - KnownAnswerModel.HAM_PROBABILITY, probs.get("spam").getAsDouble(), 1e-6);
        JsonObject second = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertEquals(3, second.get("line").getAsInt(), "line numbers count blank lines");
        assertEquals("spam", second.get("label").getAsString());
        assertEquals(1, second.get("label_id").getAsInt());
        assertEquals(5, JsonParser.parseString(lines.get(2)).getAsJsonObject().get("line").getAsInt());
        assertTrue(lines.get(0).matches("\\{\"line\": 1, \"label\": \"ham\", \"label_id\": 0, \"probabilities\":"
                + " \\{\"ham\": 0\\.73[0-9]*, \"spam\": 0\\.26[0-9]*}}"), lines.get(0));
    }

    @Test
    void predictWithoutOutputPrintsJsonLinesOnStdout() throws IOException {
        Path in = tmp.resolve("one.txt");
        Files.writeString(in, "lottery\n");
        CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", in.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(1, run.out().lines().count(), run.out());
        assertTrue(run.out().startsWith("{\"line\": 1, \"label\": \"spam\", \"label_id\": 1,"), run.out());
        assertTrue(run.err().contains("predicted 1 texts (ham 0, spam 1)"), run.err());
    }

    @Test
    void predictOnTheSpamTsvFormatJoinsSubjectAndBodyUnlessColumnsAreChosen() throws IOException {
        Path tsv = gzip(tmp.resolve("spam.tsv.gz"), SPAM_TSV);
        CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", tsv.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<JsonObject> rows = run.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(List.of(2, 3, 4, 5, 6), rows.stream().map(r -> r.get("line").getAsInt()).toList());
        assertEquals(List.of("spam", "ham", "ham", "spam", "ham"),
                rows.stream().map(r -> r.get("label").getAsString()).toList());

        CliRun subjectOnly = CliRun.of("predict", "--model", model.toString(), "--input", tsv.toString(),
                "--text-columns", "subject");
        assertEquals(0, subjectOnly.exitCode(), subjectOnly.toString());
        assertEquals(List.of("ham", "ham", "ham", "spam", "ham"), subjectOnly.out().lines()
                .map(l -> JsonParser.parseString(l).getAsJsonObject().get("label").getAsString()).toList(),
                "the lottery in row 2's body is not read");
    }

    @Test
    void evaluateReportsTheExactMetricsAndConfusionMatrix() throws IOException {
        Path tsv = tmp.resolve("eval.tsv");
        Files.writeString(tsv, SPAM_TSV);
        Path json = tmp.resolve("metrics/eval.json");
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data", tsv.toString(), "--json",
                json.toString(), "--latency-runs", "2");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("accuracy 0.6000 (3/5)   macro-F1 0.5833"), run.out());
        assertTrue(run.out().contains("confusion matrix (rows: true class, columns: predicted class)"), run.out());
        List<String> out = run.out().lines().toList();
        JsonObject last = JsonParser.parseString(out.get(out.size() - 1)).getAsJsonObject();
        JsonObject file = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(last, file, "the last stdout line and --json hold the same numbers");

        // gold 1 0 1 0 0, predicted 1 0 0 1 0
        assertEquals(5, last.get("examples").getAsInt());
        assertEquals(0.6, last.get("accuracy").getAsDouble(), 1e-12);
        assertEquals((2.0 / 3 + 0.5) / 2, last.get("macro_f1").getAsDouble(), 1e-12);
        assertEquals(JsonParser.parseString("[[2, 1], [1, 1]]"), last.get("confusion_matrix"));
        JsonObject ham = last.getAsJsonObject("per_class").getAsJsonObject("ham");
        assertEquals(2.0 / 3, ham.get("precision").getAsDouble(), 1e-12);
        assertEquals(2.0 / 3, ham.get("recall").getAsDouble(), 1e-12);
        assertEquals(3, ham.get("support").getAsInt());
        JsonObject spam = last.getAsJsonObject("per_class").getAsJsonObject("spam");
        assertEquals(0.5, spam.get("f1").getAsDouble(), 1e-12);
        JsonObject latency = last.getAsJsonObject("latency_ms_per_example");
        assertTrue(latency.get("batch_1").getAsDouble() > 0, latency.toString());
        assertTrue(latency.get("batch_32").getAsDouble() > 0, latency.toString());
        assertEquals(2, last.get("latency_runs").getAsInt());
    }

    @Test
    void aClassNeverPredictedScoresZeroNotNaN() throws IOException {
        Path tsv = tmp.resolve("never.tsv");
        Files.writeString(tsv, "text\tlabel\nhello\tspam\nworld\tham\nagain\tspam\n");
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data", tsv.toString(),
                "--latency-runs", "0");
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(run.out().contains("NaN"), run.out());
        List<String> out = run.out().lines().toList();
        JsonObject last = JsonParser.parseString(out.get(out.size() - 1)).getAsJsonObject();
        JsonObject spam = last.getAsJsonObject("per_class").getAsJsonObject("spam");
        assertEquals(0.0, spam.get("precision").getAsDouble());
        assertEquals(0.0, spam.get("f1").getAsDouble());
        assertEquals(1.0 / 3, last.get("accuracy").getAsDouble(), 1e-12);
        assertEquals(0.25, last.get("macro_f1").getAsDouble(), 1e-12); // ham F1 = 2 * (1/3 * 1) / (4/3) = 0.5
        assertEquals(JsonParser.parseString("[[1, 0], [2, 0]]"), last.get("confusion_matrix"));
        assertEquals(new JsonObject(), last.getAsJsonObject("latency_ms_per_example"));
    }

    @Test
    void aMissingModelFolderOrTokenizerFailsWithOneLine() throws IOException {
        Path in = tmp.resolve("x.txt");
        Files.writeString(in, "hello\n");
        Path missing = tmp.resolve("nope");
        CliRun run = CliRun.of("predict", "--model", missing.toString(), "--input", in.toString());
        assertEquals(Distill4jCli.EXIT_FAILURE, run.exitCode());
        assertEquals(List.of("distill4j predict: error: model folder not found: " + missing), run.errLines());

        Path noTok = tmp.resolve("no-tokenizer");
        Files.createDirectories(noTok);
        Files.copy(model.resolve("config.json"), noTok.resolve("config.json"));
        Files.copy(model.resolve("model.safetensors"), noTok.resolve("model.safetensors"));
        CliRun eval = CliRun.of("evaluate", "--model", noTok.toString(), "--data", writeTsv("ok.tsv", SPAM_TSV));
        assertEquals(Distill4jCli.EXIT_FAILURE, eval.exitCode());
        assertEquals(1, eval.errLines().size(), eval.err());
        assertEquals("distill4j evaluate: error: " + noTok.resolve("tokenizer.json")
                + ": missing; the model folder needs the tokenizer.json the model was trained with",
                eval.errLines().get(0));
        assertTrue(eval.out().isEmpty(), eval.out());
    }

    @Test
    void aBadTsvLineOrLabelFailsWithOneLineNamingFileAndLine() throws IOException {
        String bad = writeTsv("bad.tsv", "label\tsubject\tbody\n1\tok\tfine\n0\tonly two fields\n");
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data", bad);
        assertEquals(Distill4jCli.EXIT_FAILURE, run.exitCode());
        assertEquals(List.of("distill4j evaluate: error: " + bad
                + " line 3: expected 3 tab-separated fields (label, subject, body), found 2"), run.errLines());

        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", bad);
        assertEquals(Distill4jCli.EXIT_FAILURE, predict.exitCode());
        assertEquals(1, predict.errLines().size(), predict.err());
        assertTrue(predict.errLines().get(0).contains(bad + " line 3: "), predict.err());

        String badLabel = writeTsv("badlabel.tsv", "label\ttext\nham\thello\nmaybe\tworld\n");
        CliRun label = CliRun.of("evaluate", "--model", model.toString(), "--data", badLabel);
        assertEquals(Distill4jCli.EXIT_FAILURE, label.exitCode());
        assertEquals(List.of("distill4j evaluate: error: " + badLabel + " line 3: label \"maybe\" is neither a"
                + " class of the model [ham, spam] nor a class index 0..1"), label.errLines());

        String noText = writeTsv("notext.tsv", "label\tcontent\n0\thello\n");
        CliRun cols = CliRun.of("evaluate", "--model", model.toString(), "--data", noText);
        assertEquals(Distill4jCli.EXIT_FAILURE, cols.exitCode());
        assertEquals(1, cols.errLines().size(), cols.err());
        assertTrue(cols.err().contains("--text-columns"), cols.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        CliRun run = CliRun.of("evaluate", "--model", model.toString());
        assertEquals(Distill4jCli.EXIT_USAGE, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains("--data"), run.err());
        CliRun badFormat = CliRun.of("predict", "--model", "m", "--input", "i", "--format", "csv");
        assertEquals(Distill4jCli.EXIT_USAGE, badFormat.exitCode());
    }

    private static String writeTsv(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p.toString();
    }

    private static Path gzip(Path file, String content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
