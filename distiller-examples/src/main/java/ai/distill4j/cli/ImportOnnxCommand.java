package ai.distill4j.cli;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.onnx.BertOnnxImporter;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.distill4j.model.onnx.ImportedBert;
import ai.distill4j.model.onnx.OnnxModel;
import ai.distill4j.model.onnx.OnnxModelReader;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j import-onnx}: converts a BERT encoder exported to ONNX into a HuggingFace checkpoint folder
 * ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}).
 *
 * @since 0.1.0
 */
@Command(
        name = "import-onnx",
        mixinStandardHelpOptions = true,
        description = {
            "Import a BERT encoder from ONNX into a HuggingFace checkpoint folder.",
            "Writes config.json, model.safetensors and tokenizer.json.",
            "Sizes come from the weight shapes; heads, eps and activation from the",
            "options, --config, the graph, or BERT's defaults."
        },
        footer = {
            "",
            "Examples:",
            "  distill4j import-onnx --default --output runs/teacher",
            "  distill4j import-onnx --onnx model.onnx --tokenizer tokenizer.json \\",
            "      --heads 12 --output runs/teacher"
        })
public final class ImportOnnxCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Source source;

    static final class Source {
        @Option(names = "--onnx", paramLabel = "FILE", description = "The ONNX graph to import.")
        Path onnx;

        @Option(names = "--default", description = "Import the bundled all-MiniLM-L6-v2 (6 layers, 384 hidden, 12 heads).")
        boolean bundled;
    }

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "The tokenizer.json to copy into the folder (default: tokenizer.json next to the ONNX file).")
    private Path tokenizer;

    @Option(names = "--output", paramLabel = "DIR", required = true, description = "The checkpoint folder to write.")
    private Path output;

    @Option(names = "--heads", paramLabel = "N",
            description = "Attention heads (default: from --config, else the graph, else 12).")
    private Integer heads;

    @Option(names = "--eps", paramLabel = "E",
            description = "LayerNorm epsilon (default: from --config, else the graph, else 1e-12).")
    private Double eps;

    @Option(names = "--act", paramLabel = "NAME",
            description = "Feed-forward activation: gelu, gelu_new, gelu_pytorch_tanh or relu (default: from --config,"
                    + " else the graph, else gelu).")
    private String act;

    @Option(names = "--config", paramLabel = "JSON",
            description = "A HuggingFace config.json to start from; its sizes must match the weights.")
    private Path config;

    @Option(names = "--force", description = "Overwrite a folder that already holds a checkpoint.")
    private boolean force;

    /** Picocli instantiates this. */
    public ImportOnnxCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!force && Files.exists(output.resolve(BertModels.WEIGHTS))) {
            throw new IllegalArgumentException(
                    "output folder " + output + " already holds a checkpoint; pass --force to overwrite it");
        }
        BertOnnxImporter.Builder b = BertOnnxImporter.builder();
        if (heads != null) {
            b.optNumAttentionHeads(heads);
        } else if (source.bundled) {
            b.optNumAttentionHeads(BundledMiniLm.NUM_ATTENTION_HEADS);
        }
        if (eps != null) {
            b.optLayerNormEps(eps);
        }
        if (act != null) {
            b.optHiddenAct(act);
        }
        if (config != null) {
            b.optBaseConfig(BertConfig.read(config));
        }
        BertOnnxImporter importer = b.build();

        OnnxModel onnx;
        Path tokenizerJson;
        Path tempTokenizer = null;
        if (source.bundled) {
            err.println("distill4j: reading the bundled all-MiniLM-L6-v2 (" + BundledMiniLm.ARTIFACT + ")");
            try (InputStream in = BundledMiniLm.openOnnx()) {
                onnx = OnnxModelReader.read(in, BundledMiniLm.ONNX_RESOURCE);
            }
            if (tokenizer != null) {
                tokenizerJson = requireFile(tokenizer, "tokenizer");
            } else {
                tempTokenizer = Files.createTempFile("distill4j-tokenizer", ".json");
                try (InputStream in = BundledMiniLm.openTokenizer()) {
                    Files.copy(in, tempTokenizer, StandardCopyOption.REPLACE_EXISTING);
                }
                tokenizerJson = tempTokenizer;
            }
        } else {
            Path file = requireFile(source.onnx, "ONNX model");
            err.println("distill4j: reading " + file);
            onnx = OnnxModelReader.read(file);
            if (tokenizer != null) {
                tokenizerJson = requireFile(tokenizer, "tokenizer");
            } else {
                Path sibling = file.toAbsolutePath().resolveSibling("tokenizer.json");
                tokenizerJson = Files.isRegularFile(sibling) ? sibling : null;
                if (tokenizerJson == null) {
                    err.println("distill4j: warning: no --tokenizer and no tokenizer.json next to " + file
                            + "; the folder will have no tokenizer (encode needs one)");
                }
            }
        }
        try {
            BertConfig c = convert(importer, onnx, tokenizerJson, output, err);
            out.printf("imported %s: layers=%d hidden=%d heads=%d intermediate=%d vocab=%d positions=%d"
                            + " token_types=%d eps=%s act=%s -> %s%n",
                    source.bundled ? "all-MiniLM-L6-v2" : source.onnx.getFileName(), c.numHiddenLayers(),
                    c.hiddenSize(), c.numAttentionHeads(), c.intermediateSize(), c.vocabSize(),
                    c.maxPositionEmbeddings(), c.typeVocabSize(), c.layerNormEps(), c.hiddenAct(), output);
        } finally {
            if (tempTokenizer != null) {
                Files.deleteIfExists(tempTokenizer);
            }
        }
        return 0;
    }

    /** Imports a decoded graph and saves it as a checkpoint folder; returns the config written. */
    static BertConfig convert(BertOnnxImporter importer, OnnxModel onnx, Path tokenizerJson, Path output,
            PrintWriter err) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ImportedBert imported = importer.load(onnx, manager);
            BertModels.save(imported.model(), output, tokenizerJson);
            if (!imported.unusedInitializers().isEmpty()) {
                err.println("distill4j: ignored graph initializers that are not BERT parameters: "
                        + imported.unusedInitializers());
            }
            if (!imported.droppedWeights().isEmpty()) {
                err.println("distill4j: weights the " + imported.head() + " head has no place for, skipped: "
                        + imported.droppedWeights());
            }
            return imported.config();
        }
    }

    /** Imports the bundled all-MiniLM-L6-v2 into a folder; returns the config written. */
    static BertConfig importBundled(Path output, PrintWriter err) throws IOException {
        err.println("distill4j: importing the bundled all-MiniLM-L6-v2 (" + BundledMiniLm.ARTIFACT + ") into "
                + output);
        OnnxModel onnx;
        try (InputStream in = BundledMiniLm.openOnnx()) {
            onnx = OnnxModelReader.read(in, BundledMiniLm.ONNX_RESOURCE);
        }
        Path tok = Files.createTempFile("distill4j-tokenizer", ".json");
        try {
            try (InputStream in = BundledMiniLm.openTokenizer()) {
                Files.copy(in, tok, StandardCopyOption.REPLACE_EXISTING);
            }
            BertOnnxImporter importer =
                    BertOnnxImporter.builder().optNumAttentionHeads(BundledMiniLm.NUM_ATTENTION_HEADS).build();
            return convert(importer, onnx, tok, output, err);
        } finally {
            Files.deleteIfExists(tok);
        }
    }

    static Path requireFile(Path p, String what) throws NoSuchFileException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, what + " file not found");
        }
        return p;
    }
}
