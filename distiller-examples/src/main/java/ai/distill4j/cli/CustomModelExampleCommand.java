package ai.distill4j.cli;

import ai.distill4j.examples.custom.CustomModelExample;
import ai.distill4j.examples.custom.CustomModelSettings;
import ai.distill4j.examples.multiteacher.ClassificationReport;
import ai.distill4j.examples.multiteacher.TeacherBudget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j example custom-model}: a convolutional (non-BERT) student distilled from a BERT spam classifier
 * through a user-written model wrapper and adaptor; see {@link CustomModelExample}.
 *
 * @since 0.1.0
 */
@Command(
        name = "custom-model",
        mixinStandardHelpOptions = true,
        description = {
            "Distil a BERT spam classifier into a custom (non-BERT) student.",
            "The teacher is fine-tuned from all-MiniLM-L6-v2 (shared with the",
            "multi-teacher example); the student is a small 1-D convolutional classifier",
            "over the same token ids, plugged into the engine through a user-written",
            "DistillModel and Adaptor. Also trains the same student on the labels alone",
            "and prints accuracy, precision, recall and F1 on the test split for all",
            "three."
        },
        footer = {"", "Examples:", "  distill4j example custom-model", "  distill4j example custom-model --smoke"})
public final class CustomModelExampleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--smoke", description = "A teacher fine-tuned on 16 emails, a 64-filter student trained on 16 "
            + "emails for one epoch, 64 test emails; for CI.")
    private boolean smoke;

    @Option(names = "--work", paramLabel = "DIR", description = "Folder for the model caches and the runs "
            + "(default: runs/examples).")
    private Path work;

    @Option(names = "--base", paramLabel = "DIR", description = "Base BERT folder the teacher starts from "
            + "(default: the bundled all-MiniLM-L6-v2).")
    private Path base;

    @Option(names = "--teacher-seed", paramLabel = "S", description = "Seed of the spam teacher (default: 1).")
    private Long teacherSeed;

    @Option(names = "--teacher-texts", paramLabel = "N", description = "Training emails of the teacher's "
            + "fine-tuning (default: 640, as in the multi-teacher example, whose cached teacher is then reused; "
            + "smoke: 16).")
    private Integer teacherTexts;

    @Option(names = "--filters", paramLabel = "N", description = "Convolution channels (default: 256; smoke: 64).")
    private Integer filters;

    @Option(names = "--kernel", paramLabel = "K", description = "Convolution width in tokens, odd (default: 3).")
    private Integer kernel;

    @Option(names = "--random-embeddings", description = "Start the token table from random values (width 128) "
            + "instead of the teacher's word embeddings, and train it.")
    private boolean randomEmbeddings;

    @Option(names = "--student-texts", paramLabel = "N", description = "Training emails (default: 1280; smoke: 16).")
    private Integer studentTexts;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: 3; smoke: 1).")
    private Integer epochs;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 1e-3).")
    private Double lr;

    @Option(names = "--temperature", paramLabel = "T", description = "KD temperature (default: 4).")
    private Double temperature;

    @Option(names = "--hard-label-weight", paramLabel = "W", description = "Weight of the labels' cross-entropy "
            + "during distillation (default: 0).")
    private Double hardLabelWeight;

    @Option(names = "--sentence-weight", paramLabel = "W", description = "Weight of the pooled-vector match to the "
            + "teacher, 0 = off (default: 1).")
    private Double sentenceWeight;

    @Option(names = "--no-baseline", description = "Skip the labels-only student.")
    private boolean noBaseline;

    @Option(names = "--test-limit", paramLabel = "N", description = "Test emails to score, 0 = all (default: 0; "
            + "smoke: 64).")
    private Integer testLimit;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the Markdown report to this file.")
    private Path report;

    /** Picocli instantiates this. */
    public CustomModelExampleCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CustomModelSettings.Builder b = smoke ? CustomModelSettings.smoke() : CustomModelSettings.builder();
        if (work != null) {
            b.workDir(work);
        }
        b.baseDir(base);
        if (teacherSeed != null) {
            b.teacherSeed(teacherSeed);
        }
        if (teacherTexts != null) {
            TeacherBudget d = b.build().teacherBudget();
            b.teacherBudget(new TeacherBudget(teacherTexts, d.batchSize(), d.maxLength(), d.learningRate()));
        }
        if (filters != null) {
            b.filters(filters);
        }
        if (kernel != null) {
            b.kernel(kernel);
        }
        if (randomEmbeddings) {
            b.embeddingsFromTeacher(false).freezeEmbeddings(false);
        }
        if (studentTexts != null) {
            b.studentTexts(studentTexts);
        }
        if (epochs != null) {
            b.epochs(epochs);
        }
        if (lr != null) {
            b.learningRate(lr);
        }
        if (temperature != null) {
            b.temperature(temperature);
        }
        if (hardLabelWeight != null) {
            b.hardLabelWeight(hardLabelWeight);
        }
        if (sentenceWeight != null) {
            b.sentenceWeight(sentenceWeight);
        }
        b.labelsOnlyBaseline(!noBaseline);
        if (testLimit != null) {
            b.testLimit(testLimit);
        }
        CustomModelSettings settings = b.build();
        err.println("distill4j: custom-model example: " + settings);
        ClassificationReport r = CustomModelExample.run(settings, err, !smoke);
        ExampleReports.print(r.toMarkdown(), out, report);
        return 0;
    }
}
