package ai.distill4j.cli;

import ai.distill4j.model.predict.Prediction;
import ai.distill4j.model.predict.TextClassifier;
import com.google.gson.JsonPrimitive;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j predict}: labels every text of a file with a sequence classifier folder and writes one JSON line
 * per text, {@code {"line": n, "label": "spam", "label_id": 1, "probabilities": {"ham": 0.1, "spam": 0.9}}}.
 *
 * @since 0.1.0
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Label each text of a file with a classifier folder (JSON lines).",
            "Input: a text file (one text per line, blank lines skipped) or a TSV file",
            "with a header (.tsv, .tsv.gz or --format tsv) whose --text-columns are",
            "joined by newlines; default: text, else sentence, else subject + body (the",
            "data/spam format label<TAB>subject<TAB>body).",
            "Output, one line per text (n: the text's line number in the input file):",
            "  {\"line\": n, \"label\": \"spam\", \"label_id\": 1,",
            "   \"probabilities\": {\"ham\": 0.1, \"spam\": 0.9}}",
            "Labels come from the folder's config.json (id2label), tokens from its",
            "tokenizer.json."
        },
        footer = {
            "",
            "Examples:",
            "  distill4j predict --model runs/student --input emails.txt",
            "  distill4j predict --model runs/student --input data/spam/test.tsv.gz \\",
            "      --output runs/test.jsonl"
        })
public final class PredictCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Classifier folder (config.json, model.safetensors, tokenizer.json).")
    private Path model;

    @Option(names = "--input", paramLabel = "FILE", required = true,
            description = "Text file (one text per line) or TSV file with a header; .gz is decompressed.")
    private Path input;

    @Option(names = "--output", paramLabel = "OUT.jsonl",
            description = "The JSON lines file to write (default: stdout).")
    private Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto (tsv for .tsv/.tsv.gz, else text), text or tsv (default: ${DEFAULT-VALUE}).")
    private TextInputFile.Format format;

    @Option(names = "--text-columns", paramLabel = "COL[,COL...]", split = ",", hideParamSyntax = true,
            description = "TSV columns joined into the text (default: text, else sentence, else subject,body).")
    private List<String> textColumns;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "128",
            description = "Truncation length in tokens, special tokens included (default: ${DEFAULT-VALUE}).")
    private int maxLength;

    /** Picocli instantiates this. */
    public PredictCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " must be positive");
        }
        List<TextInputFile.Row> rows = TextInputFile.read(input, format, textColumns, null);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("input " + input + " holds no text");
        }
        try (TextClassifier classifier = TextClassifier.builder(model).maxLength(maxLength).batchSize(batchSize)
                .build()) {
            err.println("distill4j: predicting " + rows.size() + " texts with " + model);
            long t0 = System.nanoTime();
            List<Prediction> predictions = classifier.predict(rows.stream().map(TextInputFile.Row::text).toList());
            double ms = (System.nanoTime() - t0) / 1e6;
            long[] counts = new long[classifier.labels().size()];
            if (output == null) {
                write(out, rows, predictions, counts);
                out.flush();
                err.println(summary(rows.size(), classifier.labels(), counts, ms, "stdout"));
            } else {
                Path abs = output.toAbsolutePath();
                if (abs.getParent() != null) {
                    Files.createDirectories(abs.getParent());
                }
                Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    write(w, rows, predictions, counts);
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                out.println(summary(rows.size(), classifier.labels(), counts, ms, output.toString()));
            }
        }
        return 0;
    }

    private static void write(Writer w, List<TextInputFile.Row> rows, List<Prediction> predictions, long[] counts)
            throws IOException {
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < rows.size(); i++) {
            Prediction p = predictions.get(i);
            counts[p.labelId()]++;
            sb.setLength(0);
            sb.append("{\"line\": ").append(rows.get(i).line())
                    .append(", \"label\": ").append(json(p.label()))
                    .append(", \"label_id\": ").append(p.labelId())
                    .append(", \"probabilities\": {");
            for (int c = 0; c < p.labels().size(); c++) {
                if (c > 0) {
                    sb.append(", ");
                }
                sb.append(json(p.labels().get(c))).append(": ").append(p.probability(c));
            }
            sb.append("}}\n");
            w.write(sb.toString());
        }
    }

    static String json(String s) {
        return new JsonPrimitive(s).toString();
    }

    private static String summary(int n, List<String> labels, long[] counts, double ms, String where) {
        StringBuilder sb = new StringBuilder("predicted ").append(n).append(" texts (");
        for (int c = 0; c < labels.size(); c++) {
            if (c > 0) {
                sb.append(", ");
            }
            sb.append(labels.get(c)).append(' ').append(counts[c]);
        }
        return sb.append(String.format(java.util.Locale.ROOT, ") in %.0f ms -> %s", ms, where)).toString();
    }
}
