package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.distill4j.distill.callback.Callback;
import ai.distill4j.distill.callback.Evaluation;
import ai.distill4j.distill.checkpoint.MetricMode;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callbacks and the evaluation run on the thread that called {@code train}, between optimizer steps, never beside
 * a step: they may read the student without locking, and must not hand it to other threads while training goes on.
 */
class TrainingThreadTest {

    @TempDir
    Path tmp;

    @Test
    void evaluationAndCallbacksRunOnTheTrainingThreadBetweenSteps() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicBoolean inEvaluation = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        try (NDManager m = NDManager.newBaseManager()) {
            ToyModel teacher = new ToyModel(m, 3, 2, 1);
            ToyModel student = new ToyModel(m, 3, 2, 2);
            Evaluation eval = Evaluation.of((s, step) -> {
                threads.add(Thread.currentThread().getName());
                inEvaluation.set(true);
                try {
                    Thread.sleep(5);
                    return Map.of("score", (double) step);
                } finally {
                    inEvaluation.set(false);
                }
            }, "score", MetricMode.MAX);
            Callback probe = new Callback() {
                @Override
                public void onStep(int step, double learningRate) {
                    threads.add(Thread.currentThread().getName());
                    overlapped.compareAndSet(false, inEvaluation.get());
                }
            };
            TrainingConfig tc = TrainingConfig.builder().optOutputDir(tmp.toString()).optCkptFrequency(2).build();
            try (BasicDistiller<ToyModel.Batch> d = new BasicDistiller<>(tc, DistillationConfig.defaults(),
                    AdaptedModel.of(teacher, ToyModel.adaptor(false)), AdaptedModel.of(student, ToyModel.adaptor(true)))) {
                d.train(TrainOptions.<ToyModel.Batch>builder(OptimizerConfig.sgd(0.1).build()).optNumEpochs(2)
                        .optEvaluation(eval).addCallback(probe).build(), DataSource.of(ToyModel.data(6, 2, 3, 2, 7)));
            }
        }
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
        assertFalse(overlapped.get());
    }
}
