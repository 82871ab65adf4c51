package ai.distill4j.cli;

import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.distill4j.model.onnx.BertOnnxExporter;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j export-onnx}: writes a checkpoint folder's model as an ONNX graph (opset 17, dynamic batch and
 * sequence axes) for ONNX Runtime and other ONNX consumers.
 *
 * @since 0.1.0
 */
@Command(
        name = "export-onnx",
        mixinStandardHelpOptions = true,
        description = {
            "Export a checkpoint folder's model as an ONNX graph (opset 17).",
            "Inputs input_ids, attention_mask, token_type_ids: int64 [batch, sequence],",
            "both axes dynamic. Outputs last_hidden_state [batch, sequence, hidden], plus",
            "logits with --head classification."
        },
        footer = {
            "",
            "Examples:",
            "  distill4j export-onnx --model runs/student --output runs/student.onnx",
            "  distill4j export-onnx --model runs/student --output runs/student.onnx \\",
            "      --head none"
        })
public final class ExportOnnxCommand implements Callable<Integer> {

    /** Which outputs to export. */
    enum HeadChoice {
        /** Logits too (the model must have a classifier). */
        classification,
        /** Only the last hidden state. */
        none
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Checkpoint folder (config.json, model.safetensors).")
    private Path model;

    @Option(names = "--output", paramLabel = "FILE", required = true, description = "The .onnx file to write.")
    private Path output;

    @Option(names = "--head", paramLabel = "HEAD",
            description = "classification (add logits) or none (default: classification when the model has a"
                    + " classifier, else none).")
    private HeadChoice head;

    /** Picocli instantiates this. */
    public ExportOnnxCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(model)) {
            throw new NoSuchFileException(model.toString(), null, "model folder not found");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            err.println("distill4j: loading " + model);
            LoadedBert loaded = BertModels.load(model, manager);
            BertModel m = loaded.model();
            boolean logits = head != null ? head == HeadChoice.classification : m.head().hasClassifier();
            if (logits && !m.head().hasClassifier()) {
                throw new IllegalArgumentException("--head classification: the model in " + model
                        + " has no classifier (" + m.head().architecture() + "); use --head none");
            }
            Path abs = output.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            BertOnnxExporter.builder().optLogits(logits).build().export(m, abs);
            out.printf("exported %s (%s, %d layers, hidden %d) to ONNX opset %d, outputs %s: %.1f MB -> %s%n",
                    model, m.head().architecture(), m.config().numHiddenLayers(), m.config().hiddenSize(),
                    BertOnnxExporter.OPSET, logits ? "last_hidden_state, logits" : "last_hidden_state",
                    Files.size(abs) / 1e6, output);
        }
        return 0;
    }
}
