package ai.distill4j.distill.run;

import ai.distill4j.ValidationException;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.callback.Evaluation;
import ai.distill4j.distill.checkpoint.MetricMode;
import ai.distill4j.distill.eval.EmbeddingAgreementEvaluator;
import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.JsonReader;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.text.TokenizedBatch;
import java.util.List;
import java.util.Set;

/**
 * The run file's {@code evaluation} object (used with {@code eval_data}): what is measured at every checkpoint and
 * which value picks the best checkpoint.
 *
 * <ul>
 *   <li>{@code metric}: {@code accuracy} (default) or {@code eval_loss}: the student's classifier on labelled
 *       {@code eval_data} ({@link ClassificationEvaluator}); or {@code embedding_agreement}: the student's sentence
 *       vectors against the teacher's on {@code eval_data}, labels not needed ({@link EmbeddingAgreementEvaluator}:
 *       {@code mean_cosine}, {@code spearman}, {@code top1_agreement}, {@code top10_agreement}), pooled as the
 *       adaptor's {@code sentence} feature.
 *   <li>{@code rank_by}: with {@code embedding_agreement}, which of its four values ranks checkpoints (default
 *       {@code spearman}).
 *   <li>{@code mode}: {@code max} or {@code min}; default {@code min} for {@code eval_loss}, {@code max} otherwise
 *       (the agreement values only allow {@code max}).
 *   <li>{@code patience} (0: no early stopping) and {@code min_delta}.
 * </ul>
 *
 * @param metric the evaluator: accuracy, eval_loss or embedding_agreement
 * @param rankBy the value that ranks checkpoints (the metric itself for the classification metrics)
 * @param mode larger or smaller is better
 * @param patience evaluations without improvement before stopping; 0 disables early stopping
 * @param minDelta the smallest change that counts as an improvement
 */
record RunEvaluation(String metric, String rankBy, MetricMode mode, int patience, double minDelta) {

    /** The keys of the {@code evaluation} object. */
    static final Set<String> KEYS = Set.of("metric", "rank_by", "mode", "patience", "min_delta");

    /** The metric that compares sentence vectors with the teacher's. */
    static final String EMBEDDING_AGREEMENT = "embedding_agreement";

    /** The metrics a run file can name. */
    static final List<String> METRICS = List.of("accuracy", "eval_loss", EMBEDDING_AGREEMENT);

    /** The values of {@code embedding_agreement} that can rank checkpoints. */
    static final List<String> AGREEMENT_VALUES = List.of(EmbeddingAgreementEvaluator.SPEARMAN,
            EmbeddingAgreementEvaluator.MEAN_COSINE, EmbeddingAgreementEvaluator.TOP1_AGREEMENT,
            EmbeddingAgreementEvaluator.TOP10_AGREEMENT);

    /**
     * Reads the {@code evaluation} object.
     *
     * @param e its reader, or null when absent (accuracy, max)
     * @return the settings
     * @throws IllegalArgumentException naming the field, the value and the rule
     */
    static RunEvaluation parse(JsonReader e) {
        if (e == null) {
            return new RunEvaluation("accuracy", "accuracy", MetricMode.MAX, 0, 0);
        }
        e.requireOnly(KEYS);
        String metric = e.getString("metric", "accuracy");
        if (!METRICS.contains(metric)) {
            throw Invalid.unknownName(e.field("metric"), metric, "evaluation metric", METRICS);
        }
        boolean agreement = metric.equals(EMBEDDING_AGREEMENT);
        String rankBy = metric;
        if (agreement) {
            rankBy = e.getString("rank_by", EmbeddingAgreementEvaluator.SPEARMAN);
            if (!AGREEMENT_VALUES.contains(rankBy)) {
                throw Invalid.unknownName(e.field("rank_by"), rankBy, "embedding-agreement value", AGREEMENT_VALUES);
            }
        } else {
            Invalid.check(!e.has("rank_by"), e.field("rank_by"), e.getString("rank_by", null),
                    "only applies to \"metric\": \"" + EMBEDDING_AGREEMENT + "\"; '" + metric + "' ranks by itself");
        }
        String modeText = e.getString("mode", metric.equals("eval_loss") ? "min" : "max");
        Invalid.check(modeText.equals("max") || modeText.equals("min"), e.field("mode"), modeText,
                "must be \"max\" or \"min\"");
        MetricMode mode = MetricMode.parse(modeText);
        if (agreement) {
            Invalid.check(mode == MetricMode.MAX, e.field("mode"), modeText, "the embedding-agreement values are "
                    + "better when larger; use \"max\"");
        }
        int patience = e.getInt("patience", 0);
        Invalid.check(patience >= 0, e.field("patience"), patience, "must be >= 0 (0: no early stopping)");
        double minDelta = e.getDouble("min_delta", 0);
        Invalid.check(Double.isFinite(minDelta) && minDelta >= 0, e.field("min_delta"), minDelta,
                "must be a finite number >= 0");
        return new RunEvaluation(metric, rankBy, mode, patience, minDelta);
    }

    /**
     * Tells whether the evaluation compares sentence vectors with a teacher's.
     *
     * @return true for {@code embedding_agreement}
     */
    boolean agreement() {
        return metric.equals(EMBEDDING_AGREEMENT);
    }

    /**
     * Builds the engine's evaluation, after checking that the data and models allow it.
     *
     * @param student the student being trained
     * @param teacher the teacher whose vectors the student's are compared with (agreement), or null
     * @param eval the evaluation examples, fitted to the models
     * @param evalData the {@code eval_data} as written, for messages
     * @param pooling the adaptor's pooling
     * @param batchSize the run's batch size (also the encoders')
     * @return the evaluation
     * @throws ValidationException when the data or the models do not allow the metric
     */
    Evaluation build(BertModel student, BertModel teacher, Examples eval, String evalData, Pooling pooling,
            int batchSize) {
        if (!agreement()) {
            Invalid.check(eval.labelled(), "evaluation.metric", metric, "needs labels, but eval_data " + evalData
                    + " has none; to compare the student's sentence vectors with the teacher's instead, set "
                    + "\"evaluation\": {\"metric\": \"" + EMBEDDING_AGREEMENT + "\"}");
            Invalid.check(student.head() != BertHead.NONE, "evaluation.metric", metric, "needs a student with a "
                    + "classification head, but the student has none; use \"" + EMBEDDING_AGREEMENT + "\"");
            return new Evaluation(new ClassificationEvaluator(student, eval.batches(batchSize)), metric, mode,
                    patience, minDelta);
        }
        Invalid.check(teacher != null, "evaluation.metric", metric, "compares the student with a teacher; this "
                + "run has none");
        Invalid.check(eval.size() >= 3, "eval_data", evalData, "embedding_agreement needs at least 3 texts, got "
                + eval.size());
        int wS = student.config().hiddenSize();
        int wT = teacher.config().hiddenSize();
        Invalid.check(!rankBy.equals(EmbeddingAgreementEvaluator.MEAN_COSINE) || wS == wT, "evaluation.rank_by",
                rankBy, "needs vectors of one width, but the student's hidden_size is " + wS + " and the teacher's "
                        + wT + "; rank by \"spearman\" or a neighbour agreement");
        EmbeddingAgreementEvaluator evaluator = EmbeddingAgreementEvaluator.builder()
                .tokens(tokens(eval))
                .teacher(encoder(teacher, pooling, batchSize))
                .student(encoder(student, pooling, batchSize))
                .build();
        return new Evaluation(evaluator, rankBy, mode, patience, minDelta);
    }

    private static SentenceEncoder encoder(BertModel model, Pooling pooling, int batchSize) {
        return SentenceEncoder.builder(model).pooling(pooling).batchSize(batchSize).build();
    }

    /** All examples as one tokenized batch (token types zero when the data has none). */
    private static TokenizedBatch tokens(Examples examples) {
        BertBatch all = examples.batches(examples.size()).get(0);
        long[][] types = all.tokenTypeIds();
        if (types == null) {
            types = new long[all.size()][all.sequenceLength()];
        }
        return new TokenizedBatch(all.inputIds(), all.attentionMask(), types);
    }
}
