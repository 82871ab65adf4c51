package ai.distill4j.examples.quickstart;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a quickstart run measured: the three models on the test split, the retention of the teacher's accuracy, the
 * check that the exported student reloads with the same predictions, and where the time went. Renders as the console
 * table, Markdown ({@code report.md}) and JSON ({@code report.json}).
 *
 * @param settings the settings of the run
 * @param teacher the fine-tuned teacher
 * @param distilled the distilled student
 * @param baseline the student trained without a teacher
 * @param reloadDisagreements test predictions of the reloaded exported student that differ from the in-memory
 *     student's (0 when the export is faithful)
 * @param stageSeconds wall-clock seconds per stage, in order
 * @param totalSeconds wall-clock seconds of the whole run
 * @param cpuSeconds CPU seconds of the process over the run (all threads)
 * @param threads the PyTorch intra-op threads
 * @param loadAverage the system load average (1 minute) at the start and at the end of the run
 * @since 0.1.0
 */
public record QuickstartReport(
        QuickstartSettings settings,
        ModelResult teacher,
        ModelResult distilled,
        ModelResult baseline,
        int reloadDisagreements,
        Map<String, Double> stageSeconds,
        double totalSeconds,
        double cpuSeconds,
        int threads,
        double[] loadAverage) {

    /**
     * Checks and copies.
     *
     * @param settings the settings
     * @param teacher the teacher row
     * @param distilled the distilled student row
     * @param baseline the baseline row
     * @param reloadDisagreements differing reloaded predictions
     * @param stageSeconds time per stage
     * @param totalSeconds total time
     * @param cpuSeconds process CPU time
     * @param threads PyTorch threads
     * @param loadAverage load at start and end
     */
    public QuickstartReport {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(distilled, "distilled");
        Objects.requireNonNull(baseline, "baseline");
        stageSeconds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
        loadAverage = loadAverage.clone();
    }

    /**
     * Returns the load averages.
     *
     * @return a copy: at the start, at the end
     */
    @Override
    public double[] loadAverage() {
        return loadAverage.clone();
    }

    /**
     * Returns the distilled student's test accuracy as a share of the teacher's.
     *
     * @return e.g. 0.987
     */
    public double retention() {
        return distilled.test().accuracy() / teacher.test().accuracy();
    }

    /**
     * Returns the baseline student's test accuracy as a share of the teacher's.
     *
     * @return e.g. 0.95
     */
    public double baselineRetention() {
        return baseline.test().accuracy() / teacher.test().accuracy();
    }

    /**
     * Returns the rows in table order.
     *
     * @return teacher, distilled student, baseline student
     */
    public List<ModelResult> rows() {
        return List.of(teacher, distilled, baseline);
    }

    /**
     * Returns the summary line printed under the table.
     *
     * @return {@code student retains NN.N% of the teacher's test accuracy}
     */
    public String retentionLine() {
        return String.format(Locale.ROOT, "student retains %.1f%% of the teacher's test accuracy", 100 * retention());
    }

    /**
     * Renders the console table (fixed-width columns) followed by the retention line.
     *
     * @return the text, ending in a newline
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "test split: %d emails%n", teacher.test().examples()));
        sb.append(String.format(Locale.ROOT, "%-18s %6s %8s %9s %6s %11s %11s%n", "model", "layers", "params",
                "accuracy", "F1", "ms/ex @1", "ms/ex @32"));
        for (ModelResult r : rows()) {
            sb.append(String.format(Locale.ROOT, "%-18s %6d %7.1fM %8.2f%% %6.3f %11.2f %11.2f%n", r.name(),
                    r.layers(), r.parameters() / 1e6, 100 * r.test().accuracy(), r.testSpam().f1(),
                    r.batch1().msPerExample(), r.batch32().msPerExample()));
        }
        sb.append(retentionLine()).append('\n');
        return sb.toString();
    }

    /**
     * Renders {@code report.md}: the settings, the table, the retention, the dev history and the timings.
     *
     * @param command the command line that produced the run, for the record
     * @return Markdown text
     */
    public String markdown(String command) {
        StringBuilder sb = new StringBuilder();
        sb.append("# distill4j quickstart report\n\n");
        sb.append("Command: `").append(command).append("` (preset `").append(settings.preset().label())
                .append("`)\n\n");
        sb.append(String.format(Locale.ROOT, "Test split: %d emails. Accuracy and F1 (spam = positive class) on it; "
                + "speed = forward pass only, milliseconds per email, %d PyTorch thread(s).%n%n",
                teacher.test().examples(), threads));
        sb.append("| model | layers | parameters | accuracy | F1 | ms/example @ batch 1 | ms/example @ batch 32 |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (ModelResult r : rows()) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1fM | %.2f%% | %.3f | %.2f | %.2f |%n", r.name(),
                    r.layers(), r.parameters() / 1e6, 100 * r.test().accuracy(), r.testSpam().f1(),
                    r.batch1().msPerExample(), r.batch32().msPerExample()));
        }
        sb.append('\n').append(retentionLine()).append(String.format(Locale.ROOT,
                "; the baseline student (same architecture and budget, no teacher) retains %.1f%%.%n%n",
                100 * baselineRetention()));
        sb.append(String.format(Locale.ROOT, "The exported student (`student/`) reloaded with `BertModels.load` "
                + "gives %s on the test split.%n%n", reloadDisagreements == 0 ? "the same predictions"
                        : reloadDisagreements + " different predictions"));
        sb.append("## Dev evaluations (after every epoch; the best checkpoint by accuracy is kept)\n\n");
        sb.append("| model | epoch | step | accuracy | F1 | loss | kept |\n|---|---:|---:|---:|---:|---:|:---:|\n");
        for (ModelResult r : rows()) {
            for (var e : r.devHistory()) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f%% | %.3f | %.4f | %s |%n", r.name(),
                        e.epoch() + 1, e.step(), 100 * e.metrics().getOrDefault("accuracy", Double.NaN),
                        e.metrics().getOrDefault("f1", Double.NaN), e.metrics().getOrDefault("eval_loss", Double.NaN),
                        e.step() == r.bestDevStep() ? "yes" : ""));
            }
        }
        sb.append("\n## Time\n\n| stage | seconds |\n|---|---:|\n");
        for (Map.Entry<String, Double> e : stageSeconds.entrySet()) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f |%n", e.getKey(), e.getValue()));
        }
        sb.append(String.format(Locale.ROOT, "| **total (wall clock)** | **%.1f** |%n", totalSeconds));
        sb.append(String.format(Locale.ROOT, "%nProcess CPU time %.1f s; load average %.2f at the start, %.2f at the "
                + "end.%s%n", cpuSeconds, loadAverage[0], loadAverage[1], teacher.fromCache()
                        ? " The fine-tuned teacher came from the cache." : ""));
        sb.append("\nCurves: `loss-curves-teacher.png`, `loss-curves-distilled.png`, `loss-curves-baseline.png`.\n");
        return sb.toString();
    }

    /**
     * Returns the JSON-ready form.
     *
     * @param command the command line that produced the run
     * @return a map of plain values
     */
    public Map<String, Object> toMap(String command) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("settings", settings.toMap());
        m.put("teacher", teacher.toMap());
        m.put("distilled_student", distilled.toMap());
        m.put("baseline_student", baseline.toMap());
        m.put("retention", retention());
        m.put("baseline_retention", baselineRetention());
        m.put("reload_disagreements", reloadDisagreements);
        m.put("stage_seconds", new LinkedHashMap<>(stageSeconds));
        m.put("total_seconds", totalSeconds);
        m.put("cpu_seconds", cpuSeconds);
        m.put("threads", threads);
        m.put("load_average_start", loadAverage[0]);
        m.put("load_average_end", loadAverage[1]);
        return m;
    }

    /**
     * Renders {@code report.json}.
     *
     * @param command the command line that produced the run
     * @return pretty-printed JSON with a final newline
     */
    public String toJson(String command) {
        JsonElement tree = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues().create()
                .toJsonTree(toMap(command));
        return new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues().create()
                .toJson(tree) + "\n";
    }
}
