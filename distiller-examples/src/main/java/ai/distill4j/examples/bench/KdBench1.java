package ai.distill4j.examples.bench;

import ai.distill4j.distill.AdaptedModel;
import ai.distill4j.distill.adapt.BertAdaptor;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.distill.adapt.BertDistillModel;
import ai.distill4j.distill.config.DistillationConfig;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.optim.OptimizerConfig;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.onnx.BertOnnxImporter;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.distill4j.model.onnx.ImportedBert;
import ai.distill4j.model.onnx.OnnxModel;
import ai.distill4j.model.onnx.OnnxModelReader;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The definition of KD-BENCH-1, the workload distill4j's performance is measured and compared on.
 *
 * <ul>
 *   <li>Teacher: all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads, intermediate 1536), imported from the bundled
 *       ONNX graph exactly as {@code import-onnx --default} does, plus a 2-way sequence-classification head (pooler
 *       and classifier, initialised from a fixed seed). Eval mode, no gradients.
 *   <li>Student: 3 layers initialised from teacher layers 1, 3 and 5 (0-based) and the teacher's embeddings and head.
 *       Train mode (dropout 0.1).
 *   <li>Batches: {@code B x S} random token ids in [1000, 30000), all-ones attention mask, token types 0, random 0/1
 *       labels.
 *   <li>Losses: KD {@code ce} at temperature 4 (weight 1) + hard-label cross-entropy (weight 1) + {@code hidden_mse}
 *       on (layer_T, layer_S) = (0,0), (2,1), (4,2), (6,3) + {@code attention_mse} on pre-softmax scores for (1,0),
 *       (3,1), (5,2).
 *   <li>AdamW, lr 1e-4, weight decay 0.01 except biases and LayerNorm; global-norm clipping at 1.0.
 * </ul>
 *
 * <p>Model FLOPs per step: the teacher's forward pass plus the student's forward and backward pass (twice the
 * forward), counting only the encoder layers: {@link #layerForwardFlops(int, int, BertConfig)} per layer, 15.3 GFLOP
 * at B = 32, S = 128, so 229.5 GFLOP per step.
 *
 * @since 0.1.0
 */
public final class KdBench1 {

    /** The name of the benchmark. */
    public static final String NAME = "KD-BENCH-1";
    /** Teacher layers the student's layers are copied from (0-based). */
    public static final int[] STUDENT_LAYERS = {1, 3, 5};
    /** The KD temperature. */
    public static final double TEMPERATURE = 4;
    /** AdamW's learning rate. */
    public static final double LEARNING_RATE = 1e-4;
    /** AdamW's weight decay (not on biases and LayerNorm). */
    public static final double WEIGHT_DECAY = 0.01;
    /** The global gradient-norm limit. */
    public static final double MAX_GRAD_NORM = 1.0;
    /** The number of classes of the head. */
    public static final int NUM_LABELS = 2;
    /** The seed of the head's initialisation. */
    public static final long HEAD_SEED = 0;
    /** Smallest token id of the random batches (inclusive). */
    public static final int MIN_TOKEN = 1000;
    /** Largest token id of the random batches (exclusive). */
    public static final int MAX_TOKEN = 30000;

    private KdBench1() {}

    /**
     * Imports the bundled all-MiniLM-L6-v2 and gives it a 2-way sequence-classification head (pooler and classifier
     * drawn as HuggingFace's {@code _init_weights} does, from {@link #HEAD_SEED}); the encoder weights are the
     * imported ones.
     *
     * @param manager the long-lived manager that owns the teacher's parameters
     * @return the teacher
     * @throws IOException when the bundled model is not on the classpath or cannot be read
     */
    public static BertModel teacher(NDManager manager) throws IOException {
        OnnxModel onnx;
        try (InputStream in = BundledMiniLm.openOnnx()) {
            onnx = OnnxModelReader.read(in, BundledMiniLm.ONNX_RESOURCE);
        }
        BertOnnxImporter importer =
                BertOnnxImporter.builder().optNumAttentionHeads(BundledMiniLm.NUM_ATTENTION_HEADS).build();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager tmp = manager.newSubManager()) {
            ImportedBert imported = importer.load(onnx, tmp);
            BertConfig config = imported.config().toBuilder().numLabels(NUM_LABELS).build();
            BertModel teacher = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, HEAD_SEED, manager);
            Map<String, Parameter> from = imported.model().namedParameters();
            for (Map.Entry<String, Parameter> e : teacher.namedParameters().entrySet()) {
                Parameter source = from.get(e.getKey());
                if (source != null) {
                    source.getArray().copyTo(e.getValue().getArray());
                } else if (!e.getKey().startsWith("pooler.") && !e.getKey().startsWith("classifier.")) {
                    throw new IllegalStateException("the imported all-MiniLM-L6-v2 has no tensor '" + e.getKey() + "'");
                }
            }
            return teacher;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Builds the student: teacher layers {@link #STUDENT_LAYERS}, the teacher's embeddings and head.
     *
     * @param teacher the teacher
     * @param manager the long-lived manager that owns the student's parameters
     * @return the student
     */
    public static BertModel student(BertModel teacher, NDManager manager) {
        return Students.fromTeacher(teacher, STUDENT_LAYERS, manager);
    }

    /**
     * Returns the distillation config of the benchmark.
     *
     * @param cachingLogits whether the teacher's outputs are cached per batch ({@code is_caching_logits})
     * @return the config
     */
    public static DistillationConfig distillationConfig(boolean cachingLogits) {
        DistillationConfig.Builder b = DistillationConfig.builder()
                .optTemperature(TEMPERATURE)
                .optKdLossType("ce")
                .optKdLossWeight(1)
                .optHardLabelWeight(1)
                .optCachingLogits(cachingLogits);
        int[][] hidden = {{0, 0}, {2, 1}, {4, 2}, {6, 3}};
        for (int[] m : hidden) {
            b.addIntermediateMatch(IntermediateMatch.of(m[0], m[1], "hidden", "hidden_mse", 1));
        }
        int[][] attention = {{1, 0}, {3, 1}, {5, 2}};
        for (int[] m : attention) {
            b.addIntermediateMatch(IntermediateMatch.of(m[0], m[1], "attention", "attention_mse", 1));
        }
        return b.build();
    }

    /**
     * Returns the optimizer of the benchmark: AdamW, constant learning rate.
     *
     * @return the optimizer config
     */
    public static OptimizerConfig optimizer() {
        return OptimizerConfig.adamW(LEARNING_RATE).optWeightDecay(WEIGHT_DECAY).optSchedule("constant").build();
    }

    /**
     * Pairs a model with the benchmark's adaptor: logits, the hard-label cross-entropy, hidden states and
     * pre-softmax attention scores.
     *
     * @param model the teacher or the student
     * @return the adapted model
     */
    public static AdaptedModel<BertBatch> adapted(BertModel model) {
        return AdaptedModel.of(BertDistillModel.of(model),
                new BertAdaptor(model.config(), BertAdaptor.Attention.SCORES, true,
                        BertAdaptor.SentencePooling.MEAN));
    }

    /**
     * Draws the benchmark's batches: token ids uniform in [{@link #MIN_TOKEN}, {@link #MAX_TOKEN}), all-ones mask,
     * token types 0, labels uniform in {0, 1}.
     *
     * @param count the number of batches
     * @param batchSize rows per batch
     * @param seqLength tokens per row
     * @param seed the generator's seed
     * @return the batches
     * @throws IllegalArgumentException when a size is not positive
     */
    public static List<BertBatch> batches(int count, int batchSize, int seqLength, long seed) {
        if (count < 1 || batchSize < 1 || seqLength < 1) {
            throw new IllegalArgumentException("batches: count = " + count + ", batch = " + batchSize + ", seq = "
                    + seqLength + ": each must be >= 1");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<BertBatch> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            long[][] ids = new long[batchSize][seqLength];
            long[][] mask = new long[batchSize][seqLength];
            long[][] types = new long[batchSize][seqLength];
            long[] labels = new long[batchSize];
            for (int i = 0; i < batchSize; i++) {
                for (int j = 0; j < seqLength; j++) {
                    ids[i][j] = rng.nextInt(MIN_TOKEN, MAX_TOKEN);
                }
                Arrays.fill(mask[i], 1L);
                labels[i] = rng.nextInt(NUM_LABELS);
            }
            out.add(new BertBatch(ids, mask, types, labels, null));
        }
        return out;
    }

    /**
     * Returns the FLOPs of one encoder layer's forward pass over a batch: the four {@code H x H} projections, the
     * two feed-forward matrices and the two attention products, two FLOPs per multiply-add:
     * {@code B·S·(8H² + 4HI + 4SH)}. Element-wise work (softmax, LayerNorm, GELU, dropout) is not counted.
     *
     * @param batchSize {@code B}
     * @param seqLength {@code S}
     * @param config the model's sizes ({@code H}, {@code I})
     * @return FLOPs
     */
    public static double layerForwardFlops(int batchSize, int seqLength, BertConfig config) {
        double h = config.hiddenSize();
        double i = config.intermediateSize();
        double tokens = (double) batchSize * seqLength;
        return tokens * (8 * h * h + 4 * h * i + 4.0 * seqLength * h);
    }

    /**
     * Returns the model FLOPs of one training step: the teacher's forward pass plus the student's forward and
     * backward passes (backward = twice the forward).
     *
     * @param batchSize {@code B}
     * @param seqLength {@code S}
     * @param teacher the teacher's config
     * @param student the student's config
     * @return FLOPs per step (229.5 GFLOP for KD-BENCH-1 at B = 32, S = 128)
     */
    public static double stepFlops(int batchSize, int seqLength, BertConfig teacher, BertConfig student) {
        return layerForwardFlops(batchSize, seqLength, teacher) * teacher.numHiddenLayers()
                + 3 * layerForwardFlops(batchSize, seqLength, student) * student.numHiddenLayers();
    }
}
