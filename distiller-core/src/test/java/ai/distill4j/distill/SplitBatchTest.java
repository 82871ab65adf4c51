package ai.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate teacher/student batches, and a teacher that is never updated. */
class SplitBatchTest {

    @TempDir
    Path tmp;

    @Test
    void splitBatchesGiveTheSameRunAsSharedOnesAndTheTeacherNeverChanges() throws Exception {
        List<ToyModel.Batch> data = ToyModel.data(4, 3, 3, 2, 5);
        DistillationConfig dc = DistillationConfig.builder().optTemperature(2).optHardLabelWeight(0.5).build();
        List<MetricsRow> shared;
        List<MetricsRow> split;
        try (NDManager m = NDManager.newBaseManager()) {
            ToyModel teacher = new ToyModel(m, 3, 2, 1);
            float[] teacherBefore = teacher.weights();
            ToyModel student = new ToyModel(m, 3, 2, 2);
            try (BasicDistiller<ToyModel.Batch> d = new BasicDistiller<>(
                    TrainingConfig.builder().optOutputDir(tmp.resolve("shared").toString()).build(), dc,
                    AdaptedModel.of(teacher, ToyModel.adaptor(false)), AdaptedModel.of(student, ToyModel.adaptor(true)))) {
                d.train(TrainOptions.<ToyModel.Batch>builder(OptimizerConfig.sgd(0.5).build()).optNumEpochs(2).build(),
                        DataSource.of(data));
            }
            assertArrayEquals(teacherBefore, teacher.weights(), 0f, "the teacher is frozen");
            shared = MetricsLog.read(tmp.resolve("shared/metrics.jsonl"));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            ToyModel teacher = new ToyModel(m, 3, 2, 1);
            ToyModel student = new ToyModel(m, 3, 2, 2);
            List<SplitBatch<ToyModel.Batch, ToyModel.Batch>> pairs = new ArrayList<>();
            for (ToyModel.Batch b : data) {
                pairs.add(new SplitBatch<>(b, b));
            }
            try (BasicDistiller<SplitBatch<ToyModel.Batch, ToyModel.Batch>> d = new BasicDistiller<>(
                    TrainingConfig.builder().optOutputDir(tmp.resolve("split").toString()).build(), dc,
                    AdaptedModel.of(teacher.<SplitBatch<ToyModel.Batch, ToyModel.Batch>>onPart(SplitBatch::teacher),
                            ToyModel.adaptor(false).onPart(SplitBatch::teacher)),
                    AdaptedModel.of(student.<SplitBatch<ToyModel.Batch, ToyModel.Batch>>onPart(SplitBatch::student),
                            ToyModel.adaptor(true).onPart(SplitBatch::student)))) {
                d.train(TrainOptions.<SplitBatch<ToyModel.Batch, ToyModel.Batch>>builder(
                        OptimizerConfig.sgd(0.5).build()).optNumEpochs(2).build(), DataSource.of(pairs));
            }
            split = MetricsLog.read(tmp.resolve("split/metrics.jsonl"));
        }
        assertEquals(8, shared.size());
        assertEquals(shared, split);
    }
}
