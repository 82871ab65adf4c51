package ai.distill4j.examples.quickstart;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates a BERT sequence classifier on labelled batches, in eval mode with gradients off: the evaluation callback
 * of every quickstart run. It reports {@code accuracy}, {@code f1}, {@code precision}, {@code recall} (spam is the
 * positive class) and {@code eval_loss}; the run ranks checkpoints by accuracy.
 *
 * @since 0.1.0
 */
public final class ClassifierEvaluator implements EvaluationCallback {

    private final BertModel model;
    private final List<BertBatch> batches;

    /**
     * Creates the evaluator.
     *
     * @param model the model being trained (its current weights are evaluated)
     * @param batches labelled batches
     */
    public ClassifierEvaluator(BertModel model, List<BertBatch> batches) {
        this.model = Objects.requireNonNull(model, "model");
        this.batches = List.copyOf(batches);
        if (this.batches.isEmpty()) {
            throw new IllegalArgumentException("the evaluator needs at least one batch");
        }
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Double> evaluate(DistillModel<?, ?> student, int step) {
        return predict(model, batches).evaluationMetrics();
    }

    /**
     * Runs a classifier over labelled batches.
     *
     * @param model the classifier (a classification head is required)
     * @param batches labelled batches
     * @return the predictions and the mean cross-entropy
     * @throws IllegalStateException when the model has no classification head or a batch has no labels
     */
    public static Predictions predict(BertModel model, List<BertBatch> batches) {
        int n = 0;
        for (BertBatch b : batches) {
            n += b.size();
        }
        long[] predicted = new long[n];
        long[] gold = new long[n];
        double lossSum = 0;
        int row = 0;
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            m.setName("evaluation");
            ParameterStore ps = new ParameterStore(m, false);
            for (BertBatch b : batches) {
                if (b.labels() == null) {
                    throw new IllegalStateException("evaluation needs labelled batches");
                }
                try (NDManager step = m.newSubManager()) {
                    BertOutput out = model.infer(ps, b.toInputs(step));
                    if (out.logits() == null) {
                        throw new IllegalStateException("evaluation needs a model with a classification head");
                    }
                    NDArray labels = b.labelsArray(step);
                    long[] p = out.logits().argMax(-1).toLongArray();
                    System.arraycopy(p, 0, predicted, row, p.length);
                    System.arraycopy(b.labels(), 0, gold, row, p.length);
                    lossSum += BertAdaptor.crossEntropy(out.logits(), labels).getFloat() * (double) p.length;
                    row += p.length;
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return new Predictions(predicted, gold, n == 0 ? Double.NaN : lossSum / n);
    }
}
