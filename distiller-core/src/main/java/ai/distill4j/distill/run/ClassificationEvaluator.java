package ai.distill4j.distill.run;

import ai.distill4j.distill.DistillModel;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.callback.EvaluationCallback;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a BERT sequence classifier on labelled batches: {@code accuracy} and {@code eval_loss} (mean
 * cross-entropy), in eval mode with gradients off.
 *
 * @since 0.1.0
 */
public final class ClassificationEvaluator implements EvaluationCallback {

    private final BertModel model;
    private final List<BertBatch> batches;

    /**
     * Creates the evaluator.
     *
     * @param model the student
     * @param batches labelled batches
     */
    public ClassificationEvaluator(BertModel model, List<BertBatch> batches) {
        this.model = model;
        this.batches = List.copyOf(batches);
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Double> evaluate(DistillModel<?, ?> student, int step) {
        long correct = 0;
        long rows = 0;
        double lossSum = 0;
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            for (BertBatch b : batches) {
                try (NDManager step1 = m.newSubManager()) {
                    BertOutput out = model.infer(ps, b.toInputs(step1));
                    NDArray labels = b.labelsArray(step1);
                    if (labels == null || out.logits() == null) {
                        throw new IllegalStateException("evaluation needs labelled data and a classification head");
                    }
                    long[] predicted = out.logits().argMax(-1).toLongArray();
                    long[] gold = b.labels();
                    for (int i = 0; i < gold.length; i++) {
                        if (predicted[i] == gold[i]) {
                            correct++;
                        }
                    }
                    lossSum += BertAdaptor.crossEntropy(out.logits(), labels).getFloat() * gold.length;
                    rows += gold.length;
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", rows == 0 ? Double.NaN : (double) correct / rows);
        metrics.put("eval_loss", rows == 0 ? Double.NaN : lossSum / rows);
        return metrics;
    }
}
