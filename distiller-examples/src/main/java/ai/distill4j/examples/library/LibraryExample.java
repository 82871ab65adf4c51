package ai.distill4j.examples.library;

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
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.distill.run.ClassificationEvaluator;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The longer library example of {@code docs/library.md}: a teacher loaded from a HuggingFace folder, a student cut
 * from it, TSV data, two intermediate matches, a custom evaluation callback with early stopping, a step callback, and
 * what to do with the result. The documentation quotes the marked regions of this file; a test checks that the
 * quotes and the file agree and runs the program on a tiny teacher.
 *
 * @since 0.1.0
 */
public final class LibraryExample {

    private LibraryExample() {}

    /**
     * Runs the example from the command line.
     *
     * @param args the teacher folder, train.tsv, dev.tsv (columns {@code text} and {@code label}), the output folder
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: LibraryExample <teacher folder> <train.tsv> <dev.tsv> <output folder>");
            System.exit(2);
        }
        TrainResult result = run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
        System.out.println("best agreement " + result.bestMetric() + " in " + result.bestCheckpoint().orElseThrow());
    }

    /**
     * Distills the teacher into a student with every other layer and saves the best student.
     *
     * @param teacherDir a HuggingFace BERT classifier folder ({@code config.json}, {@code model.safetensors},
     *     {@code tokenizer.json})
     * @param trainTsv the training data
     * @param devTsv the held-out data the callback evaluates on
     * @param outputDir where checkpoints, logs and the final {@code student/} folder go
     * @return the result of the run
     * @throws IOException when a file cannot be read or written
     */
    public static TrainResult run(Path teacherDir, Path trainTsv, Path devTsv, Path outputDir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            // snippet:library-models
            LoadedBert loaded = BertModels.load(teacherDir, manager);
            BertModel teacher = loaded.model();
            int teacherLayers = teacher.config().numHiddenLayers();
            int[] everyOtherLayer = new int[teacherLayers / 2];
            for (int i = 0; i < everyOtherLayer.length; i++) {
                everyOtherLayer[i] = 2 * i + 1; // student layer i starts as a copy of teacher layer 2i+1
            }
            BertModel student = Students.fromTeacher(teacher, everyOtherLayer, manager);
            // end-snippet:library-models

            // snippet:library-data
            Path tokenizer = loaded.tokenizerJson();
            Examples train = Examples.readTsv(trainTsv, "text", "label", tokenizer, 128, Map.of());
            Examples dev = Examples.readTsv(devTsv, "text", "label", tokenizer, 128, Map.of());
            DataSource<BertBatch> data = DataSource.shuffled(train.batches(16), 42); // reshuffled every epoch
            List<BertBatch> devBatches = dev.batches(64);
            // end-snippet:library-data

            // snippet:library-configs
            int studentLayers = everyOtherLayer.length;
            DistillationConfig distillation = DistillationConfig.builder()
                    .optTemperature(4)
                    .optHardLabelWeight(0.5) // cross-entropy against the gold labels, next to the KD term
                    .addIntermediateMatch(IntermediateMatch.of(0, 0, "hidden", "hidden_mse", 1)) // embeddings
                    .addIntermediateMatch(IntermediateMatch.of(teacherLayers, studentLayers, "hidden", "hidden_mse", 1))
                    .build();
            TrainingConfig training = TrainingConfig.builder()
                    .optOutputDir(outputDir.toString())
                    .optCkptFrequency(2) // two checkpoints (and evaluations) per epoch
                    .optKeepLastCheckpoints(2) // the best one is always kept as well
                    .build();
            OptimizerConfig adamW = OptimizerConfig.adamW(1e-4).optWeightDecay(0.01).optWarmupProportion(0.1).build();
            // end-snippet:library-configs

            // snippet:library-callbacks
            ClassificationEvaluator accuracy = new ClassificationEvaluator(student, devBatches);
            EvaluationCallback agreement = (model, step) -> {
                Map<String, Double> metrics = new LinkedHashMap<>(accuracy.evaluate(model, step));
                long same = 0;
                long rows = 0;
                try (NDManager scratch = NDManager.newBaseManager()) { // every array of the evaluation lives here
                    ParameterStore parameters = new ParameterStore(scratch, false);
                    for (BertBatch batch : devBatches) {
                        BertInputs inputs = batch.toInputs(scratch);
                        long[] t = teacher.infer(parameters, inputs).logits().argMax(-1).toLongArray();
                        long[] s = student.infer(parameters, inputs).logits().argMax(-1).toLongArray();
                        for (int i = 0; i < t.length; i++) {
                            same += t[i] == s[i] ? 1 : 0;
                        }
                        rows += t.length;
                    }
                }
                metrics.put("agreement", (double) same / rows); // how often the student predicts what the teacher does
                return metrics;
            };
            Callback epochPrinter = new Callback() {
                @Override
                public void onEpochEnd(int epoch, int step) {
                    System.out.println("epoch " + epoch + " ended at step " + step);
                }
            };
            TrainOptions<BertBatch> options = TrainOptions.<BertBatch>builder(adamW)
                    .optNumEpochs(3)
                    .optMaxGradNorm(1.0)
                    .optSeed(7)
                    .addCallback(epochPrinter)
                    .optEvaluation(Evaluation.of(agreement, "agreement", MetricMode.MAX).withPatience(4))
                    .build();
            // end-snippet:library-callbacks

            // snippet:library-train
            TrainResult result;
            try (GeneralDistiller<BertBatch> distiller = Distillers.general(teacher, student, training, distillation)) {
                result = distiller.train(options, data);
            }
            for (EvaluationRecord r : result.history()) {
                System.out.println("step " + r.step() + ": " + r.metrics());
            }
            System.out.println("steps " + result.globalSteps() + ", stopped early: " + result.stoppedEarly()
                    + ", time by phase: " + result.timings());
            // end-snippet:library-train

            // snippet:library-after
            Path best = result.bestCheckpoint().orElseThrow().resolve("student"); // a HuggingFace folder
            LoadedBert bestStudent = BertModels.load(best, manager);
            BertModels.save(bestStudent.model(), outputDir.resolve("student"), tokenizer);
            // end-snippet:library-after
            return result;
        }
    }
}
