package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collections at any moment change nothing: a run with a collection every millisecond logs the same losses
 * and ends with the same weights as a run without.
 *
 * <p>The regression this guards: DJL turns a number in {@code x.mul(0.5f)} into an array backed by a Java buffer and
 * closes it at once, while PyTorch keeps it for the backward pass; a collection in between freed the buffer and the
 * gradients became NaN or wrong, at random (see {@link ai.distill4j.loss.GraphScalar}, which now makes such numbers in PyTorch-owned memory). Before the fix this test
 * failed within a few steps in every run.
 */
class GarbageCollectionDuringTrainingTest {

    @TempDir
    Path tmp;

    private record Outcome(List<MetricsRow> rows, Map<String, float[]> weights) {}

    private Outcome train(Path data, Path out, boolean dropoutAndGeluNew) throws Exception {
        try (NDManager models = NDManager.newBaseManager()) {
            BertModel teacher = BertModels.load(data.resolve("teacher"), models).model();
            BertModel student = BertModels.load(data.resolve("student"), models).model();
            if (dropoutAndGeluNew) { // the paths a loaded trajectory model does not take: dropout, tanh GELU
                BertConfig c = student.config().toBuilder().hiddenDropoutProb(0.1).attentionProbsDropoutProb(0.1)
                        .hiddenAct("gelu_new").build();
                student = Students.random(c, BertHead.SEQUENCE_CLASSIFICATION, 6, models);
            }
            DistillationConfig dc = DistillationConfig.builder().optTemperature(4).optHardLabelWeight(0.5)
                    .addIntermediateMatch(IntermediateMatch.of(2, 1, "hidden", "hidden_mse", 1))
                    .addIntermediateMatch(IntermediateMatch.of(1, 0, "attention", "attention_ce", 0.3))
                    .addIntermediateMatch(IntermediateMatch.of(3, 1, "attention", "attention_mse", 2))
                    .build();
            TrainingConfig tc = TrainingConfig.builder().optOutputDir(out.toString())
                    .optGradientAccumulationSteps(2).build();
            List<BertBatch> batches = Examples.readJsonLines(data.resolve("train.jsonl")).batches(4);
            try (GeneralDistiller<BertBatch> d = new GeneralDistiller<>(tc, dc,
                    AdaptedModel.of(BertDistillModel.of(teacher),
                            BertAdaptor.forModel(teacher, BertAdaptor.Attention.SCORES, false)),
                    AdaptedModel.of(BertDistillModel.of(student),
                            BertAdaptor.forModel(student, BertAdaptor.Attention.SCORES, true)))) {
                d.train(TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(0.01).build()).optNumEpochs(3)
                        .optMaxGradNorm(1).optSeed(3).build(), DataSource.of(batches));
            }
            Map<String, float[]> w = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : student.namedParameters().entrySet()) {
                w.put(e.getKey(), e.getValue().getArray().toFloatArray());
            }
            return new Outcome(MetricsLog.read(out.resolve(MetricsLog.FILE_NAME)), w);
        }
    }

    @Test
    void collectionsBetweenForwardAndBackwardChangeNothing() throws Exception {
        compare(false);
    }

    @Test
    void collectionsChangeNothingWithDropoutAndTanhGelu() throws Exception {
        compare(true);
    }

    private void compare(boolean dropoutAndGeluNew) throws Exception {
        Path data = Trajectories.copy("trajectory-general", tmp);
        Outcome quiet = train(data, tmp.resolve("quiet"), dropoutAndGeluNew);

        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-hammer");
        collector.setDaemon(true);
        collector.start();
        Outcome collected;
        try {
            collected = train(data, tmp.resolve("collected"), dropoutAndGeluNew);
        } finally {
            collector.interrupt();
            collector.join();
        }
        assertEquals(quiet.rows(), collected.rows());
        for (String name : quiet.weights().keySet()) {
            assertArrayEquals(quiet.weights().get(name), collected.weights().get(name), 0f, name);
        }
    }
}
