package ai.distill4j.examples.quickstart;

import ai.distill4j.distill.callback.EvaluationRecord;
import ai.distill4j.examples.data.LabeledEmail;
import ai.distill4j.model.predict.ClassMetrics;
import ai.distill4j.model.predict.ClassificationMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the quickstart's table: a model, its test metrics, its size and speed, and how its training went.
 *
 * @param name the row name ({@code teacher}, {@code distilled student}, {@code baseline student})
 * @param layers encoder layers
 * @param parameters every parameter, embeddings and head included
 * @param test the metrics on the test split
 * @param testLoss the mean cross-entropy on the test split
 * @param batch1 inference speed at batch size 1
 * @param batch32 inference speed at batch size 32
 * @param devHistory the dev evaluation after every epoch
 * @param bestDevStep the optimizer step of the kept (best) checkpoint, -1 if unknown
 * @param trainSeconds wall-clock seconds of its training run (0 when it came from the cache)
 * @param fromCache whether the model was reused from the cache instead of trained by this run
 * @since 0.1.0
 */
public record ModelResult(
        String name,
        int layers,
        long parameters,
        ClassificationMetrics test,
        double testLoss,
        InferenceTiming batch1,
        InferenceTiming batch32,
        List<EvaluationRecord> devHistory,
        int bestDevStep,
        double trainSeconds,
        boolean fromCache) {

    /**
     * Checks and copies.
     *
     * @param name the row name
     * @param layers encoder layers
     * @param parameters parameter count
     * @param test test metrics
     * @param testLoss test loss
     * @param batch1 speed at batch 1
     * @param batch32 speed at batch 32
     * @param devHistory dev evaluations
     * @param bestDevStep step of the kept checkpoint
     * @param trainSeconds training time
     * @param fromCache reused from the cache
     */
    public ModelResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(batch1, "batch1");
        Objects.requireNonNull(batch32, "batch32");
        devHistory = List.copyOf(devHistory);
    }

    /**
     * Returns the test scores of spam, the positive class of the table's F1.
     *
     * @return precision, recall and F1 of spam on the test split
     */
    public ClassMetrics testSpam() {
        return test.perClass().get(LabeledEmail.SPAM);
    }

    /**
     * Returns the dev metrics of the kept checkpoint.
     *
     * @return the metrics, empty when unknown
     */
    public Map<String, Double> bestDev() {
        for (EvaluationRecord r : devHistory) {
            if (r.step() == bestDevStep) {
                return r.metrics();
            }
        }
        return Map.of();
    }

    /**
     * Returns the JSON-ready form for {@code report.json}.
     *
     * @return a map of plain values
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("layers", layers);
        m.put("parameters", parameters);
        Map<String, Object> t = new LinkedHashMap<>();
        ClassMetrics spam = testSpam();
        t.put("examples", test.examples());
        t.put("accuracy", test.accuracy());
        t.put("f1", spam.f1());
        t.put("precision", spam.precision());
        t.put("recall", spam.recall());
        t.put("loss", testLoss);
        m.put("test", t);
        m.put("ms_per_example_batch1", batch1.msPerExample());
        m.put("ms_per_example_batch32", batch32.msPerExample());
        m.put("timed_examples_batch1", batch1.examples());
        m.put("timed_examples_batch32", batch32.examples());
        List<Object> h = new ArrayList<>();
        for (EvaluationRecord r : devHistory) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", r.step());
            row.put("epoch", r.epoch());
            row.put("metrics", new LinkedHashMap<>(r.metrics()));
            h.add(row);
        }
        m.put("dev_history", h);
        m.put("best_dev_step", bestDevStep);
        m.put("train_seconds", trainSeconds);
        m.put("from_cache", fromCache);
        return m;
    }
}
