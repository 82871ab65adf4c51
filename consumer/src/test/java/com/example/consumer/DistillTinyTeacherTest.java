package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.Distillers;
import ai.distill4j.distill.GeneralDistiller;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.callback.Callback;
import ai.distill4j.distill.callback.Evaluation;
import ai.distill4j.distill.callback.EvaluationCallback;
import ai.distill4j.distill.callback.EvaluationRecord;
import ai.distill4j.distill.checkpoint.MetricMode;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uses distill4j only through its public API, as an application would: a tiny random teacher distilled into a
 * tinier random student for a few epochs, with an evaluation callback and a step callback.
 */
class DistillTinyTeacherTest {

    private static List<BertBatch> randomBatches(SplittableRandom r, int count, int rows, int length) {
        List<BertBatch> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            long[][] ids = new long[rows][length];
            long[][] mask = new long[rows][length];
            long[] labels = new long[rows];
            for (int i = 0; i < rows; i++) {
                int n = 3 + r.nextInt(length - 2);
                for (int j = 0; j < n; j++) {
                    ids[i][j] = j == 0 ? 2 : j == n - 1 ? 3 : 4 + r.nextInt(46);
                    mask[i][j] = 1;
                }
                labels[i] = r.nextInt(3);
            }
            batches.add(new BertBatch(ids, mask, null, labels, null));
        }
        return batches;
    }

    @Test
    void aTinyTeacherDistillsIntoATinyStudentThroughThePublicApi(@TempDir Path tmp) throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        List<BertBatch> train = randomBatches(random, 6, 8, 12);
        List<BertBatch> heldOut = randomBatches(random, 2, 16, 12);
        try (NDManager models = NDManager.newBaseManager()) {
            BertConfig teacherConfig = BertConfig.builder().vocabSize(50).hiddenSize(16).numHiddenLayers(2)
                    .numAttentionHeads(2).intermediateSize(32).maxPositionEmbeddings(16).typeVocabSize(2)
                    .numLabels(3).initializerRange(0.5).build();
            BertModel teacher = Students.random(teacherConfig, BertHead.SEQUENCE_CLASSIFICATION, 1, models);
            BertModel student = Students.random(teacherConfig.toBuilder().numHiddenLayers(1)
                    .initializerRange(0.02).build(), BertHead.SEQUENCE_CLASSIFICATION, 2, models);

            AtomicInteger evaluations = new AtomicInteger();
            EvaluationCallback logitGap = (model, step) -> {
                evaluations.incrementAndGet();
                double sum = 0;
                long count = 0;
                try (NDManager scratch = NDManager.newBaseManager()) {
                    ParameterStore ps = new ParameterStore(scratch, false);
                    for (BertBatch b : heldOut) {
                        BertInputs in = b.toInputs(scratch);
                        NDArray t = teacher.forward(ps, in, false, false).logits();
                        NDArray s = student.forward(ps, in, false, false).logits();
                        sum += s.sub(t).square().sum().getFloat();
                        count += t.size();
                    }
                }
                return Map.of("logit_mse", sum / count);
            };
            AtomicInteger steps = new AtomicInteger();
            Callback stepCounter = new Callback() {
                @Override
                public void onStep(int step, double learningRate) {
                    steps.incrementAndGet();
                }
            };

            DistillationConfig distillation = DistillationConfig.builder().optTemperature(2).optKdLossType("mse")
                    .addIntermediateMatch(IntermediateMatch.of(2, 1, "hidden", "hidden_mse", 1)).build();
            TrainingConfig training = TrainingConfig.builder().optOutputDir(tmp.resolve("run").toString()).build();
            TrainOptions<BertBatch> options = TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(3e-3).build())
                    .optNumEpochs(5).optSeed(3).optProgressBar(false)
                    .addCallback(stepCounter)
                    .optEvaluation(Evaluation.of(logitGap, "logit_mse", MetricMode.MIN))
                    .build();
            TrainResult result;
            try (GeneralDistiller<BertBatch> distiller = Distillers.general(teacher, student, training, distillation)) {
                result = distiller.train(options, DataSource.of(train));
            }

            assertEquals(30, result.globalSteps(), "5 epochs of 6 batches");
            assertEquals(30, steps.get(), "the step callback ran after every optimizer step");
            assertEquals(5, evaluations.get(), "the evaluation callback ran at every epoch's checkpoint");
            List<EvaluationRecord> history = result.history();
            assertEquals(5, history.size());
            double firstGap = history.get(0).metrics().get("logit_mse");
            double lastGap = history.get(4).metrics().get("logit_mse");
            assertTrue(lastGap < firstGap, "the student moved towards the teacher: " + firstGap + " -> " + lastGap);
            assertTrue(result.bestCheckpoint().isPresent() && Files.isDirectory(result.bestCheckpoint().get()));

            List<MetricsRow> rows = MetricsLog.read(tmp.resolve("run").resolve(MetricsLog.FILE_NAME));
            assertEquals(30, rows.size());
            double firstEpoch = rows.subList(0, 6).stream().mapToDouble(MetricsRow::totalLoss).average().orElseThrow();
            double lastEpoch = rows.subList(24, 30).stream().mapToDouble(MetricsRow::totalLoss).average().orElseThrow();
            System.out.printf("consumer: mean loss %.5f (epoch 1) -> %.5f (epoch 5); logit mse %.5f -> %.5f%n",
                    firstEpoch, lastEpoch, firstGap, lastGap);
            assertTrue(lastEpoch < 0.8 * firstEpoch, "the loss went down: " + firstEpoch + " -> " + lastEpoch);
        }
    }
}
