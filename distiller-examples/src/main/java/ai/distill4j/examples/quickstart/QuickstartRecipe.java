package ai.distill4j.examples.quickstart;

import ai.distill4j.distill.AdaptedModel;
import ai.distill4j.distill.DataSource;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.TrainingConfig;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.model.bert.BertModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the quickstart trains with, derived from its {@link QuickstartSettings}: the optimizers, the training configs
 * of the three runs, the distillation config, the adaptors and the data order. The run file
 * ({@link QuickstartRunFile}) is written from the same objects, so both routes train identically.
 *
 * <p>The distillation objective, for a student whose layer {@code i} starts as teacher layer {@code L[i]}
 * ({@link QuickstartSettings#studentLayers()}, 0-based) and is aligned with it (hidden index {@code i + 1} with
 * {@code L[i] + 1}, the embeddings with the embeddings):
 *
 * <pre>
 * L = KD_ce(z_S, z_T, T) + CE(z_S, y)
 *   + Σ_aligned hidden_mse(h_S, h_T)
 *   + 100 wr_dist + 10 wr_angle + 100 ltr_dist + 10 ltr_angle   over all aligned hidden states at once (CKD)
 * </pre>
 *
 * @since 0.1.0
 */
public final class QuickstartRecipe {

    /**
     * The weights of the CKD relation losses. The relation terms are small next to KD and hidden-state MSE (measured
     * at the start of the default quickstart's distillation: 3e-5 for {@code wr_dist}, 3e-3 for {@code ltr_dist},
     * 2e-2 for the angle terms), so they are weighted up, within the range of the CKD paper's per-task weights
     * (0.1 to 1000).
     */
    public static final Map<String, Double> RELATION_WEIGHTS = relationWeights();

    private final QuickstartSettings settings;

    /**
     * The window of {@code wr_angle}: 11 tokens instead of the paper's 21. Its cost grows with the square of the
     * window (the angles at each token are {@code w x w}); 11 keeps the term at about a quarter of the cost.
     */
    public static final int WR_ANGLE_WINDOW = 11;

    private static Map<String, Double> relationWeights() {
        Map<String, Double> w = new java.util.LinkedHashMap<>();
        w.put("wr_dist", 100.0);
        w.put("wr_angle", 10.0);
        w.put("ltr_dist", 100.0);
        w.put("ltr_angle", 10.0);
        return java.util.Collections.unmodifiableMap(w);
    }

    /**
     * Creates the recipe.
     *
     * @param settings the settings
     */
    public QuickstartRecipe(QuickstartSettings settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public QuickstartSettings settings() {
        return settings;
    }

    /**
     * Returns the teacher's optimizer: AdamW, linear warm-up then linear decay to 0.
     *
     * @return the optimizer config
     */
    public OptimizerConfig teacherOptimizer() {
        return optimizer(settings.teacherLearningRate());
    }

    /**
     * Returns the students' optimizer (both students): AdamW, linear warm-up then linear decay to 0.
     *
     * @return the optimizer config
     */
    public OptimizerConfig studentOptimizer() {
        return optimizer(settings.studentLearningRate());
    }

    private OptimizerConfig optimizer(double lr) {
        return OptimizerConfig.adamW(lr).optWeightDecay(settings.weightDecay())
                .optWarmupProportion(settings.warmupProportion()).optSchedule("linear").build();
    }

    /**
     * Returns the training config of one run: a checkpoint (and so a dev evaluation) at the end of every epoch,
     * only the newest and the best checkpoint kept, TensorBoard events in {@code outputDir/logs}.
     *
     * @param outputDir the run's output folder
     * @return the training config
     */
    public TrainingConfig training(Path outputDir) {
        return TrainingConfig.builder()
                .optOutputDir(outputDir.toString())
                .optLogDir(outputDir.resolve("logs").toString())
                .optCkptFrequency(1)
                .optCkptEpochFrequency(1)
                .optKeepLastCheckpoints(1)
                .build();
    }

    /**
     * Returns the aligned hidden-state indices of the teacher: 0 (embeddings), then {@code L[i] + 1}.
     *
     * @return teacher hidden indices, one per aligned layer
     */
    public List<Integer> teacherHiddenLayers() {
        List<Integer> t = new ArrayList<>();
        t.add(0);
        for (int l : settings.studentLayers()) {
            t.add(l + 1);
        }
        return List.copyOf(t);
    }

    /**
     * Returns the aligned hidden-state indices of the student: 0 (embeddings), 1, ..., number of student layers.
     *
     * @return student hidden indices, one per aligned layer
     */
    public List<Integer> studentHiddenLayers() {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i <= settings.studentLayers().length; i++) {
            s.add(i);
        }
        return List.copyOf(s);
    }

    /**
     * Returns the distillation config: KD cross-entropy at the temperature (weight 1), hard labels (weight 1), one
     * {@code hidden_mse} match per aligned layer, and the four CKD relation losses over all aligned layers (weights
     * {@link #RELATION_WEIGHTS}, {@code wr_angle} with a window of {@link #WR_ANGLE_WINDOW}); teacher outputs cached after the first epoch when
     * {@link QuickstartSettings#cacheTeacherOutputs()}.
     *
     * @return the config
     */
    public DistillationConfig distillationConfig() {
        List<Integer> t = teacherHiddenLayers();
        List<Integer> s = studentHiddenLayers();
        DistillationConfig.Builder b = DistillationConfig.builder()
                .optTemperature(settings.temperature())
                .optKdLossType("ce")
                .optKdLossWeight(1)
                .optHardLabelWeight(1)
                .optCachingLogits(settings.cacheTeacherOutputs());
        for (int i = 0; i < t.size(); i++) {
            b.addIntermediateMatch(IntermediateMatch.of(t.get(i), s.get(i), "hidden", "hidden_mse", 1));
        }
        for (Map.Entry<String, Double> e : RELATION_WEIGHTS.entrySet()) {
            IntermediateMatch.Builder m = IntermediateMatch.builder().setLayers(t, s).setFeature("hidden")
                    .setLoss(e.getKey()).setWeight(e.getValue());
            if (e.getKey().equals("wr_angle")) {
                m.optArgs(LossArgs.of("window", WR_ANGLE_WINDOW));
            }
            b.addIntermediateMatch(m.build());
        }
        return b.build();
    }

    /**
     * Wraps a model for training: the project's BERT adaptor with pre-softmax attention scores, mean-pooled sentence
     * vectors, and the hard-label cross-entropy in {@code losses} (what a run file with
     * {@code "hard_label_loss": "ce"} builds).
     *
     * @param model the model
     * @return the adapted model
     */
    public static AdaptedModel<BertBatch> adapted(BertModel model) {
        return AdaptedModel.of(BertDistillModel.of(model), new BertAdaptor(model.config(),
                BertAdaptor.Attention.SCORES, true, BertAdaptor.SentencePooling.MEAN));
    }

    /**
     * Returns the training batches in a run file's order with {@code "shuffle": true}: with cached teacher outputs
     * the batches are fixed and their order is shuffled every epoch; otherwise the examples are reshuffled into new
     * batches every epoch. Both orders depend only on the seed and the epoch.
     *
     * @param examples the tokenized training examples
     * @param cachedTeacher whether the teacher's outputs are cached (fixed batches)
     * @return the data source
     */
    public DataSource<BertBatch> trainData(Examples examples, boolean cachedTeacher) {
        int batchSize = settings.batchSize();
        long seed = settings.seed();
        if (cachedTeacher) {
            return DataSource.shuffled(examples.batches(batchSize), seed);
        }
        int batches = (examples.size() + batchSize - 1) / batchSize;
        return new DataSource<>() {
            @Override
            public Iterator<BertBatch> pass(int epoch) {
                return examples.shuffledBatches(batchSize, seed, epoch).iterator();
            }

            @Override
            public OptionalInt size() {
                return OptionalInt.of(batches);
            }
        };
    }
}
