package ai.distill4j.examples.readme;

import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.Distillers;
import ai.distill4j.distill.GeneralDistiller;
import ai.distill4j.distill.TrainOptions;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.callback.Evaluation;
import ai.distill4j.distill.callback.EvaluationCallback;
import ai.distill4j.distill.checkpoint.MetricMode;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.distill.run.ClassificationEvaluator;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;

// snippet:readme
/** Distills a fine-tuned 12-layer BERT classifier into a 6-layer student: teacher folder, train/dev TSV, output. */
public final class ReadmeExample {
    /**
     * @param args the teacher folder, train.tsv, dev.tsv (columns {@code text}, {@code label}), the output folder
     * @throws Exception when a file cannot be read or training fails
     */
    public static void main(String[] args) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            LoadedBert loaded = BertModels.load(Path.of(args[0]), manager); // config.json, model.safetensors, ...
            BertModel teacher = loaded.model();
            BertModel student = Students.fromTeacher(teacher, new int[] {1, 3, 5, 7, 9, 11}, manager);
            Path tokenizer = loaded.tokenizerJson();
            Examples train = Examples.readTsv(Path.of(args[1]), "text", "label", tokenizer, 128, Map.of());
            Examples dev = Examples.readTsv(Path.of(args[2]), "text", "label", tokenizer, 128, Map.of());

            DistillationConfig distillation = DistillationConfig.builder().optTemperature(4)
                    .addIntermediateMatch(IntermediateMatch.of(12, 6, "hidden", "hidden_mse", 1)).build();
            TrainingConfig training = TrainingConfig.builder().optOutputDir(args[3]).build();
            EvaluationCallback accuracy = new ClassificationEvaluator(student, dev.batches(32));
            TrainOptions<BertBatch> options = TrainOptions.<BertBatch>builder(OptimizerConfig.adamW(1e-4).build())
                    .optNumEpochs(3).optEvaluation(Evaluation.of(accuracy, "accuracy", MetricMode.MAX)).build();

            try (GeneralDistiller<BertBatch> distiller = Distillers.general(teacher, student, training, distillation)) {
                TrainResult result = distiller.train(options, DataSource.shuffled(train.batches(32), 42));
                System.out.println("best accuracy " + result.bestMetric() + " in " + result.bestCheckpoint().get());
            }
        }
    }
}
// end-snippet:readme
