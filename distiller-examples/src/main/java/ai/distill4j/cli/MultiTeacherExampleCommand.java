package ai.distill4j.cli;

import ai.distill4j.examples.multiteacher.ClassificationReport;
import ai.distill4j.examples.multiteacher.MultiTeacherExample;
import ai.distill4j.examples.multiteacher.MultiTeacherSettings;
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
 * {@code distill4j example multi-teacher}: spam teachers fine-tuned with different seeds distilled into one student;
 * see {@link MultiTeacherExample}.
 *
 * @since 0.1.0
 */
@Command(
        name = "multi-teacher",
        mixinStandardHelpOptions = true,
        description = {
            "Distil several fine-tuned spam teachers into one student.",
            "Fine-tunes spam classifiers from all-MiniLM-L6-v2 with different seeds",
            "(cached under <work>/spam-teachers), distils them into one 2-layer student",
            "with MultiTeacherDistiller (KD on the mean of the teachers' logits), and",
            "prints accuracy, precision, recall and F1 on the test split for each",
            "teacher, their ensemble and the student."
        },
        footer = {"", "Examples:", "  distill4j example multi-teacher", "  distill4j example multi-teacher --smoke"})
public final class MultiTeacherExampleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--smoke", description = "Two teachers and the student trained on 16 emails each, one epoch, "
            + "64 test emails; for CI.")
    private boolean smoke;

    @Option(names = "--work", paramLabel = "DIR", description = "Folder for the model caches and the runs "
            + "(default: runs/examples).")
    private Path work;

    @Option(names = "--base", paramLabel = "DIR", description = "Base BERT folder the teachers and the student start "
            + "from (default: the bundled all-MiniLM-L6-v2).")
    private Path base;

    @Option(names = "--teacher-seeds", paramLabel = "S,S,...", split = ",", description = "One seed per teacher "
            + "(default: 1,2,3; smoke: 1,2).")
    private long[] teacherSeeds;

    @Option(names = "--teacher-texts", paramLabel = "N", description = "Training emails per teacher (default: 640; "
            + "smoke: 16).")
    private Integer teacherTexts;

    @Option(names = "--student-layers", paramLabel = "I,J,...", split = ",", description = "Base-model layers the "
            + "student starts from (default: 1,4).")
    private int[] studentLayers;

    @Option(names = "--student-texts", paramLabel = "N", description = "Training emails of the student "
            + "(default: 640; smoke: 16).")
    private Integer studentTexts;

    @Option(names = "--epochs", paramLabel = "N", description = "Student epochs (default: 2; smoke: 1).")
    private Integer epochs;

    @Option(names = "--temperature", paramLabel = "T", description = "KD temperature (default: 4).")
    private Double temperature;

    @Option(names = "--test-limit", paramLabel = "N", description = "Test emails to score, 0 = all (default: 0; "
            + "smoke: 64).")
    private Integer testLimit;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the Markdown report to this file.")
    private Path report;

    /** Picocli instantiates this. */
    public MultiTeacherExampleCommand() {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MultiTeacherSettings.Builder b = smoke ? MultiTeacherSettings.smoke() : MultiTeacherSettings.builder();
        if (work != null) {
            b.workDir(work);
        }
        b.baseDir(base);
        if (teacherSeeds != null) {
            b.teacherSeeds(teacherSeeds);
        }
        if (teacherTexts != null) {
            TeacherBudget d = b.build().teacherBudget();
            b.teacherBudget(new TeacherBudget(teacherTexts, d.batchSize(), d.maxLength(), d.learningRate()));
        }
        if (studentLayers != null) {
            b.studentLayers(studentLayers);
        }
        if (studentTexts != null) {
            b.studentTexts(studentTexts);
        }
        if (epochs != null) {
            b.studentEpochs(epochs);
        }
        if (temperature != null) {
            b.temperature(temperature);
        }
        if (testLimit != null) {
            b.testLimit(testLimit);
        }
        MultiTeacherSettings settings = b.build();
        err.println("distill4j: multi-teacher example: " + settings);
        ClassificationReport r = MultiTeacherExample.run(settings, err, !smoke);
        ExampleReports.print(r.toMarkdown(), out, report);
        return 0;
    }
}
