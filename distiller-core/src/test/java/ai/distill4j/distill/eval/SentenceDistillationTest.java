package ai.distill4j.distill.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.AdaptedModel;
import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.GeneralDistiller;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.callback.Evaluation;
import ai.distill4j.distill.callback.EvaluationRecord;
import ai.distill4j.distill.checkpoint.MetricMode;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.pooling.SentenceTestModels;
import ai.distill4j.model.sentence.SentenceBertConfig;
import ai.distill4j.model.sentence.SentenceModel;
import ai.distill4j.model.sentence.SentenceTransformers;
import ai.distill4j.model.text.TokenizedBatch;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sentence-embedding distillation end to end on tiny random models: the student learns the teacher's mean-pooled
 * vectors through the {@code sentence} feature and {@code embedding_mse}, the agreement evaluator runs as the
 * engine's evaluation callback, and the trained student is saved as a Sentence-Transformers folder.
 */
class SentenceDistillationTest {

    static long[][] randomIds(SplittableRandom r, int rows, int length) {
        long[][] ids = new long[rows][length];
        for (long[] row : ids) {
            int n = 3 + r.nextInt(length - 2);
            row[0] = 2;
            for (int j = 1; j < n - 1; j++) {
                row[j] = 4 + r.nextInt(46);
            }
            row[n - 1] = 3;
        }
        return ids;
    }

    @Test
    void distillingTheSentenceFeatureRaisesTheStudentsAgreementWithTheTeacher(@TempDir Path tmp) throws Exception {
        SplittableRandom r = new SplittableRandom(17);
        List<BertBatch> batches = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            TokenizedBatch t = SentenceTestModels.padded(randomIds(r, 8, 10));
            batches.add(new BertBatch(t.ids(), t.mask(), t.types(), null, null));
        }
        TokenizedBatch heldOut = SentenceTestModels.padded(randomIds(r, 40, 10));
        try (NDManager models = NDManager.newBaseManager()) {
            BertConfig tc = SentenceTestModels.tinyConfig().toBuilder().numHiddenLayers(3).initializerRange(0.2)
                    .build();
            BertModel teacher = Students.random(tc, BertHead.NONE, 1, models);
            BertModel student = Students.random(tc.toBuilder().numHiddenLayers(1).build(), BertHead.NONE, 2, models);
            SentenceEncoder teacherEncoder = SentenceEncoder.builder(teacher).pooling(Pooling.mean()).build();
            SentenceEncoder studentEncoder = SentenceEncoder.builder(student).pooling(Pooling.mean()).build();
            EmbeddingAgreementEvaluator agreement = EmbeddingAgreementEvaluator.builder().tokens(heldOut)
                    .teacher(teacherEncoder).student(studentEncoder).build();
            Map<String, Double> before = agreement.evaluate(studentEncoder);

            DistillationConfig dc = DistillationConfig.builder()
                    .addIntermediateMatch(IntermediateMatch.of(0, 0, "sentence", "embedding_mse", 1))
                    .build();
            TrainingConfig trc = TrainingConfig.builder().optOutputDir(tmp.resolve("run").toString())
                    .optCkptFrequency(1).build();
            TrainOptions<BertBatch> options = TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(5e-3).build())
                    .optNumEpochs(6).optSeed(3).optProgressBar(false)
                    .optEvaluation(Evaluation.of(agreement, EmbeddingAgreementEvaluator.MEAN_COSINE, MetricMode.MAX))
                    .build();
            TrainResult result;
            try (GeneralDistiller<BertBatch> d = new GeneralDistiller<>(trc, dc,
                    AdaptedModel.of(BertDistillModel.of(teacher),
                            BertAdaptor.forModel(teacher, BertAdaptor.Attention.PROBS, false)),
                    AdaptedModel.of(BertDistillModel.of(student),
                            BertAdaptor.forModel(student, BertAdaptor.Attention.PROBS, false)))) {
                result = d.train(options, DataSource.shuffled(batches, 5));
            }
            List<EvaluationRecord> history = result.history();
            assertEquals(6, history.size(), "one evaluation per epoch checkpoint");
            Map<String, Double> after = history.get(history.size() - 1).metrics();
            System.out.println("sentence distillation on tiny random models: before " + before + ", after " + after);
            assertTrue(after.get("mean_cosine") > before.get("mean_cosine") + 0.05, before + " -> " + after);
            assertEquals(after, agreement.evaluate(studentEncoder), "the callback saw the trained weights");

            Path saved = tmp.resolve("student-st");
            SentenceTransformers.save(student, Pooling.mean(), SentenceBertConfig.of(24), null, saved);
            try (SentenceModel reloaded = SentenceTransformers.load(saved, models)) {
                SentenceEncoder enc = SentenceEncoder.builder(reloaded.model()).pooling(reloaded.pooling()).build();
                assertEquals(after, agreement.evaluate(enc), "the saved folder embeds like the trained student");
            }
        }
    }
}
