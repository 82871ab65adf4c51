package ai.distill4j.cli;

import ai.distill4j.model.predict.ClassMetrics;
import ai.distill4j.model.predict.ClassificationMetrics;
import ai.distill4j.model.predict.Latency;
import ai.distill4j.model.predict.Prediction;
import ai.distill4j.model.predict.TextClassifier;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j evaluate}: scores a sequence classifier folder on a labelled TSV file (accuracy, macro-F1,
 * per-class precision/recall/F1, confusion matrix) and measures its latency at batch 1 and batch 32. Prints a table,
 * then the same numbers as one JSON line (the last line of stdout), also written to {@code --json}.
 *
 * @since 0.1.0
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Score a classifier folder on a labelled TSV file and time it.",
            "Data: a TSV file with a header, a label column (--label-column) and text",
            "columns as for predict; data/spam/*.tsv.gz works as is. A label is a class",
            "name of the model's config.json (id2label) or a class index (0, 1, ...).",
            "Prints accuracy, macro-F1, per-class precision/recall/F1, the confusion",
            "matrix and the median latency in ms per example at batch 1 and 32",
            "(tokenization included), then the same as one JSON line, the last line."
        },
        footer = {
            "",
            "Examples:",
            "  distill4j evaluate --model runs/student --data data/spam/test.tsv.gz",
            "  distill4j evaluate --model runs/student --data data/spam/test.tsv.gz \\",
            "      --json runs/test-metrics.json"
        })
public final class EvaluateCommand implements Callable<Integer> {

    /** The batch sizes whose latency is reported. */
    static final int[] LATENCY_BATCHES = {1, 32};

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Classifier folder (config.json, model.safetensors, tokenizer.json).")
    private Path model;

    @Option(names = "--data", paramLabel = "FILE", required = true,
            description = "Labelled TSV file with a header; .gz is decompressed.")
    private Path data;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Also write the metrics to this JSON file.")
    private Path json;

    @Option(names = "--text-columns", paramLabel = "COL[,COL...]", split = ",", hideParamSyntax = true,
            description = "Columns joined into the text (default: text, else sentence, else subject,body).")
    private List<String> textColumns;

    @Option(names = "--label-column", paramLabel = "COL", defaultValue = "label",
            description = "The gold label column (default: ${DEFAULT-VALUE}).")
    private String labelColumn;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "Texts per forward pass when scoring (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "128",
            description = "Truncation length in tokens, special tokens included (default: ${DEFAULT-VALUE}).")
    private int maxLength;

    @Option(names = "--latency-runs", paramLabel = "N", defaultValue = "20",
            description = "Timed calls per batch size, after 3 warm-up calls; 0 skips the latency"
                    + " (default: ${DEFAULT-VALUE}).")
    private int latencyRuns;

    /** Picocli instantiates this. */
    public EvaluateCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " must be positive");
        }
        if (latencyRuns < 0) {
            throw new IllegalArgumentException("--latency-runs " + latencyRuns + " must be >= 0");
        }
        List<TextInputFile.Row> rows = TextInputFile.read(data, TextInputFile.Format.tsv, textColumns, labelColumn);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("data " + data + " holds no labelled row");
        }
        try (TextClassifier classifier = TextClassifier.builder(model).maxLength(maxLength).batchSize(batchSize)
                .build()) {
            List<String> labels = classifier.labels();
            int[] gold = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                gold[i] = classIndex(rows.get(i), labels);
            }
            List<String> texts = rows.stream().map(TextInputFile.Row::text).toList();
            err.println("distill4j: evaluating " + model + " on " + rows.size() + " examples of " + data);
            List<Prediction> predictions = classifier.predict(texts);
            int[] predicted = predictions.stream().mapToInt(Prediction::labelId).toArray();
            ClassificationMetrics metrics = ClassificationMetrics.compute(gold, predicted, labels);
            Latency[] latency = new Latency[latencyRuns == 0 ? 0 : LATENCY_BATCHES.length];
            for (int k = 0; k < latency.length; k++) {
                err.println("distill4j: timing batch " + LATENCY_BATCHES[k] + " (" + latencyRuns + " runs)");
                latency[k] = Latency.measure(classifier, texts, LATENCY_BATCHES[k], 3, latencyRuns);
            }
            printTable(out, classifier, metrics, latency);
            JsonObject o = toJson(classifier, metrics, latency);
            if (json != null) {
                writeJson(json, o);
                out.println("metrics written to " + json);
            }
            out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(o));
        }
        return 0;
    }

    /** A label field is a class name of the model, else a class index. */
    private int classIndex(TextInputFile.Row row, List<String> labels) {
        String v = row.label().trim();
        int byName = labels.indexOf(v);
        if (byName >= 0) {
            return byName;
        }
        try {
            int idx = Integer.parseInt(v);
            if (idx >= 0 && idx < labels.size()) {
                return idx;
            }
        } catch (NumberFormatException e) {
            // not an index either
        }
        throw new IllegalArgumentException(data + " line " + row.line() + ": label \"" + row.label()
                + "\" is neither a class of the model " + labels + " nor a class index 0.." + (labels.size() - 1));
    }

    private void printTable(PrintWriter out, TextClassifier c, ClassificationMetrics m, Latency[] latency) {
        out.printf(Locale.ROOT, "model: %s (layers=%d hidden=%d labels=%d)%n", model,
                c.config().numHiddenLayers(), c.config().hiddenSize(), c.labels().size());
        out.printf(Locale.ROOT, "data:  %s (%d examples, max length %d)%n", data, m.examples(), maxLength);
        out.printf(Locale.ROOT, "accuracy %.4f (%d/%d)   macro-F1 %.4f%n%n", m.accuracy(), m.correct(),
                m.examples(), m.macroF1());
        int w = Math.max(9, m.labels().stream().mapToInt(String::length).max().orElse(5) + 2);
        out.printf(Locale.ROOT, "%-" + w + "s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support");
        for (ClassMetrics k : m.perClass()) {
            out.printf(Locale.ROOT, "%-" + w + "s %9.4f %9.4f %9.4f %9d%n", k.label(), k.precision(), k.recall(),
                    k.f1(), k.support());
        }
        out.println();
        out.println("confusion matrix (rows: true class, columns: predicted class)");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", ""));
        for (String l : m.labels()) {
            head.append(String.format(Locale.ROOT, " %9s", l));
        }
        out.println(head);
        long[][] cm = m.confusion();
        for (int g = 0; g < cm.length; g++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", m.labels().get(g)));
            for (long v : cm[g]) {
                row.append(String.format(Locale.ROOT, " %9d", v));
            }
            out.println(row);
        }
        if (latency.length > 0) {
            out.println();
            StringBuilder l = new StringBuilder("latency (median ms per example, tokenization included):");
            for (Latency x : latency) {
                l.append(String.format(Locale.ROOT, " batch %d: %.2f ms;", x.batchSize(), x.msPerExample()));
            }
            out.println(l.substring(0, l.length() - 1));
        }
    }

    private JsonObject toJson(TextClassifier c, ClassificationMetrics m, Latency[] latency) {
        JsonObject o = new JsonObject();
        o.addProperty("model", model.toString());
        o.addProperty("data", data.toString());
        o.addProperty("examples", m.examples());
        o.addProperty("max_length", maxLength);
        o.addProperty("accuracy", m.accuracy());
        o.addProperty("macro_f1", m.macroF1());
        JsonObject perClass = new JsonObject();
        for (ClassMetrics k : m.perClass()) {
            JsonObject e = new JsonObject();
            e.addProperty("precision", k.precision());
            e.addProperty("recall", k.recall());
            e.addProperty("f1", k.f1());
            e.addProperty("support", k.support());
            e.addProperty("predicted", k.predicted());
            perClass.add(k.label(), e);
        }
        o.add("per_class", perClass);
        JsonArray labels = new JsonArray();
        m.labels().forEach(labels::add);
        o.add("labels", labels);
        JsonArray cm = new JsonArray();
        for (long[] row : m.confusion()) {
            JsonArray r = new JsonArray();
            for (long v : row) {
                r.add(v);
            }
            cm.add(r);
        }
        o.add("confusion_matrix", cm);
        JsonObject lat = new JsonObject();
        for (Latency x : latency) {
            lat.addProperty("batch_" + x.batchSize(), x.msPerExample());
        }
        o.add("latency_ms_per_example", lat);
        if (latency.length > 0) {
            o.addProperty("latency_runs", latency[0].runs());
        }
        return o;
    }

    private static void writeJson(Path file, JsonObject o) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    }
}
