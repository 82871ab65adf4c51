package ai.distill4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
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
 * {@code distill4j encode}: runs a checkpoint folder's model over a text file and writes the last hidden state of
 * every non-blank line as JSON lines, {@code {"ids": [...], "hidden": [[...], ...]}}.
 *
 * @since 0.1.0
 */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        description = {
            "Encode each line of a text file into its last hidden states (JSON lines).",
            "Writes one JSON line per non-blank input line:",
            "  {\"ids\": [token ids], \"hidden\": [[last hidden state of each token], ...]}",
            "Special tokens are added, lines are truncated at --max-length tokens,",
            "nothing is padded."
        },
        footer = {
            "",
            "Example:",
            "  distill4j encode --model runs/teacher --input sentences.txt \\",
            "      --output runs/hidden.jsonl"
        })
public final class EncodeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Checkpoint folder (config.json, model.safetensors, tokenizer.json).")
    private Path model;

    @Option(names = "--input", paramLabel = "TEXT_FILE", required = true, description = "UTF-8 text, one input per line.")
    private Path input;

    @Option(names = "--output", paramLabel = "OUT.jsonl", required = true, description = "The JSON lines file to write.")
    private Path output;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "128",
            description = "Truncation length in tokens, special tokens included (default: ${DEFAULT-VALUE}).")
    private int maxLength;

    /** Picocli instantiates this. */
    public EncodeCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImportOnnxCommand.requireFile(input, "input");
        List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("input " + input + " has no non-blank line");
        }
        Path abs = output.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        long start = 0;
        int minTokens = Integer.MAX_VALUE;
        int maxTokens = 0;
        int hidden;
        try (SentenceEncoder encoder = SentenceEncoder.open(model, maxLength);
                BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            hidden = encoder.config().hiddenSize();
            err.println("distill4j: encoding " + lines.size() + " lines with " + model);
            start = System.nanoTime();
            StringBuilder sb = new StringBuilder(1 << 16);
            for (String line : lines) {
                SentenceEncoder.Encoded e = encoder.encode(line);
                minTokens = Math.min(minTokens, e.ids().length);
                maxTokens = Math.max(maxTokens, e.ids().length);
                sb.setLength(0);
                appendJson(sb, e);
                w.write(sb.toString());
                w.write('\n');
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        double ms = (System.nanoTime() - start) / 1e6;
        out.printf("encoded %d lines (%d..%d tokens, hidden %d) in %.0f ms -> %s%n",
                lines.size(), minTokens, maxTokens, hidden, ms, output);
        return 0;
    }

    static void appendJson(StringBuilder sb, SentenceEncoder.Encoded e) {
        sb.append("{\"ids\": [");
        for (int i = 0; i < e.ids().length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(e.ids()[i]);
        }
        sb.append("], \"hidden\": [");
        for (int t = 0; t < e.hidden().length; t++) {
            if (t > 0) {
                sb.append(", ");
            }
            sb.append('[');
            float[] row = e.hidden()[t];
            for (int k = 0; k < row.length; k++) {
                if (!Float.isFinite(row[k])) {
                    throw new IllegalStateException("the model produced a non-finite hidden value (" + row[k]
                            + ") at token " + t + "; the checkpoint is broken");
                }
                if (k > 0) {
                    sb.append(", ");
                }
                sb.append(row[k]);
            }
            sb.append(']');
        }
        sb.append("]}");
    }
}
