package ai.distill4j.cli;

import ai.distill4j.examples.embedding.EmbeddingExample;
import ai.distill4j.examples.embedding.EmbeddingObjective;
import ai.distill4j.examples.embedding.EmbeddingReport;
import ai.distill4j.examples.embedding.EmbeddingSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j example embedding}: task-agnostic compression of all-MiniLM-L6-v2 into a 3-layer or a narrower
 * student on unlabeled text, evaluated against the teacher (agreement, retrieval, speed); see
 * {@link EmbeddingExample}.
 *
 * @since 0.1.0
 */
@Command(
        name = "embedding",
        mixinStandardHelpOptions = true,
        description = {
            "Compress the sentence-embedding model all-MiniLM-L6-v2 on unlabeled text.",
            "Trains on spam training emails and English Europarl sentences and compares",
            "student and teacher: cosine and Spearman agreement and nearest-neighbour",
            "agreement on held-out sentences, subject->body retrieval on the spam test",
            "split (recall@1, MRR), and encoding speed. Prints a Markdown table; each",
            "student is saved in the Sentence-Transformers layout under",
            "<work>/embedding/<student>-<objective>/student-st."
        },
        footer = {
            "",
            "Examples:",
            "  distill4j example embedding                   # 3-layer student, 'full'",
            "  distill4j example embedding --objective all   # loss comparison, 5 students",
            "  distill4j example embedding --student narrow  # hidden 256, with projections",
            "  distill4j example embedding --smoke           # a few batches, for CI"
        })
public final class EmbeddingExampleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--smoke", description = "Train on a few batches only (under a minute); for CI.")
    private boolean smoke;

    @Option(names = "--work", paramLabel = "DIR", description = "Folder for the teacher cache and the runs "
            + "(default: runs/examples).")
    private Path work;

    @Option(names = "--teacher", paramLabel = "DIR", description = "A BERT teacher folder (default: the bundled "
            + "all-MiniLM-L6-v2, imported into <work>/teacher-minilm).")
    private Path teacher;

    @Option(names = "--student", paramLabel = "KIND", description = "layers (teacher width, copied layers) or narrow "
            + "(truncated to --hidden); default: layers.")
    private String student;

    @Option(names = "--layers", paramLabel = "I,J,...", split = ",", description = "0-based teacher layers the "
            + "student starts from (default: 1,3,5).")
    private int[] layers;

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden size of the narrow student (default: 256).")
    private Integer hidden;

    @Option(names = "--objective", paramLabel = "NAME", split = ",", description = "mse, mse+similarity, "
            + "mse+contrastive, mse+ckd, full, or all (default: full).")
    private List<String> objectives;

    @Option(names = "--train-texts", paramLabel = "N", description = "Unlabeled training texts (default: 1600; "
            + "smoke: 24).")
    private Integer trainTexts;

    @Option(names = "--batch-size", paramLabel = "N", description = "Rows per batch (default: 16; smoke: 8).")
    private Integer batchSize;

    @Option(names = "--max-length", paramLabel = "N", description = "Training truncation in tokens (default: 64; "
            + "smoke: 32).")
    private Integer maxLength;

    @Option(names = "--lr", paramLabel = "X", description = "AdamW learning rate (default: 1e-4).")
    private Double lr;

    @Option(names = "--held-out", paramLabel = "N", description = "Held-out sentences (default: 400; smoke: 24).")
    private Integer heldOut;

    @Option(names = "--queries", paramLabel = "N", description = "Retrieval queries (default: 300; smoke: 24).")
    private Integer queries;

    @Option(names = "--train-word-embeddings", description = "Also train the word embeddings (frozen by default).")
    private boolean trainWordEmbeddings;

    @Option(names = "--seed", paramLabel = "N", description = "Seed (default: 42).")
    private Long seed;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the Markdown report to this file.")
    private Path report;

    /** Picocli instantiates this. */
    public EmbeddingExampleCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EmbeddingSettings.Builder b = smoke ? EmbeddingSettings.smoke() : EmbeddingSettings.builder();
        if (work != null) {
            b.workDir(work);
        }
        b.teacherDir(teacher);
        if (student != null) {
            b.student(parseStudent(student));
        }
        if (layers != null) {
            b.layers(layers);
        }
        if (hidden != null) {
            b.narrowHidden(hidden);
        }
        if (objectives != null) {
            b.objectives(parseObjectives(objectives));
        }
        if (trainTexts != null) {
            b.trainTexts(trainTexts);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (maxLength != null) {
            b.maxLength(maxLength);
        }
        if (lr != null) {
            b.learningRate(lr);
        }
        if (heldOut != null) {
            b.heldOut(heldOut);
        }
        if (queries != null) {
            b.retrievalQueries(queries);
        }
        if (seed != null) {
            b.seed(seed);
        }
        b.freezeWordEmbeddings(!trainWordEmbeddings);
        EmbeddingSettings settings = b.build();
        err.println("distill4j: embedding example: " + settings);
        EmbeddingReport r = EmbeddingExample.run(settings, err, !smoke);
        ExampleReports.print(r.toMarkdown(), out, report);
        return 0;
    }

    static EmbeddingSettings.StudentKind parseStudent(String text) {
        for (EmbeddingSettings.StudentKind k : EmbeddingSettings.StudentKind.values()) {
            if (k.name().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("--student = " + text + ": must be one of [layers, narrow]");
    }

    static List<EmbeddingObjective> parseObjectives(List<String> names) {
        List<EmbeddingObjective> out = new ArrayList<>();
        for (String n : names) {
            if (n.trim().equalsIgnoreCase("all")) {
                out.addAll(Arrays.asList(EmbeddingObjective.values()));
            } else {
                out.add(EmbeddingObjective.parse(n));
            }
        }
        return out;
    }
}
