package ai.distill4j.examples.quickstart;

/**
 * The files the quickstart writes into its output folder, relative to it.
 *
 * <pre>
 * report.md, report.json          the comparison table (Markdown; JSON with every number behind it)
 * loss-curves-*.png               loss and dev-metric curves of the three runs
 * student/                        the distilled student: a HuggingFace folder (BertModels.load reads it)
 * baseline/                       the baseline student, same format
 * teacher/                        the fine-tuned teacher (a copy of the cached one)
 * data/{train,dev,test}.tsv       the subsets used, as text&lt;TAB&gt;label
 * run.json                        the distillation stage as a run file
 * runs/{teacher,distill,baseline} each run's metrics.jsonl, eval.jsonl, loss-curves.png and TensorBoard logs
 * </pre>
 *
 * @since 0.1.0
 */
public final class QuickstartLayout {

    /** The marker file that identifies a quickstart output folder (and allows re-running into it). */
    public static final String MARKER = ".distill4j-quickstart";
    /** The fine-tuned teacher's folder. */
    public static final String TEACHER = "teacher";
    /** The distilled student's folder. */
    public static final String STUDENT = "student";
    /** The baseline student's folder. */
    public static final String BASELINE = "baseline";
    /** The training subset. */
    public static final String TRAIN_TSV = "data/train.tsv";
    /** The dev subset. */
    public static final String DEV_TSV = "data/dev.tsv";
    /** The test subset. */
    public static final String TEST_TSV = "data/test.tsv";
    /** The run file of the distillation stage. */
    public static final String RUN_FILE = "run.json";
    /** The table as Markdown. */
    public static final String REPORT_MD = "report.md";
    /** The table and everything behind it as JSON. */
    public static final String REPORT_JSON = "report.json";
    /** The folder of the training runs. */
    public static final String RUNS = "runs";
    /** The teacher's fine-tuning run (logs copied from the cache). */
    public static final String TEACHER_RUN = "runs/teacher";
    /** The distillation run. */
    public static final String DISTILL_RUN = "runs/distill";
    /** The baseline run. */
    public static final String BASELINE_RUN = "runs/baseline";

    private QuickstartLayout() {}

    /**
     * Returns the name of a run's curve plot in the output folder.
     *
     * @param run {@code teacher}, {@code distilled} or {@code baseline}
     * @return e.g. {@code loss-curves-distilled.png}
     */
    public static String plot(String run) {
        return "loss-curves-" + run + ".png";
    }
}
