package ai.distill4j.examples.custom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A small convolutional text classifier built from DJL blocks, over the token ids of a BERT tokenizer: the kind of
 * non-BERT student a user might write.
 *
 * <pre>
 * x = E[ids] * mask                           (B, S, E)   token vectors (a vocab_size x E table), 0 at padding
 * h = relu(Conv1d_k(x))                       (B, F, S)   k tokens wide, zero padding k/2 (same length)
 * v = max over real tokens s of h[:, :, s]    (B, F)      masked max pooling: padding never wins
 * logits = Linear(dropout(v))                 (B, C)
 * </pre>
 *
 * <p>Inputs: {@code NDList(ids (B, S) int64, mask (B, S))}; outputs {@code NDList(logits, v)}. The token table is a
 * direct parameter named {@code embedding}; the convolution and the classifier are DJL's {@link Conv1d} and
 * {@link Linear} blocks. Every output attaches to the ids' manager.
 *
 * @since 0.1.0
 */
public final class ConvTextClassifier extends AbstractBlock {

    private static final float PADDING_SCORE = -1e4f;

    private final ConvTextConfig config;
    private final Parameter embedding;
    private final Conv1d conv;
    private final Linear classifier;

    /**
     * Creates the block; call {@link #initialize} before the first forward pass.
     *
     * @param config the hyper-parameters
     */
    public ConvTextClassifier(ConvTextConfig config) {
        this.config = config;
        this.embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), config.embeddingSize()))
                .optInitializer(new NormalInitializer(0.02f)).build());
        this.conv = addChildBlock("conv", Conv1d.builder().setKernelShape(new Shape(config.kernel()))
                .optPadding(new Shape(config.kernel() / 2)).setFilters(config.filters()).build());
        this.classifier = addChildBlock("classifier", Linear.builder().setUnits(config.numClasses()).build());
    }

    /**
     * Returns the hyper-parameters.
     *
     * @return the config
     */
    public ConvTextConfig config() {
        return config;
    }

    /**
     * Initialises every parameter in {@code manager} (float32).
     *
     * @param manager the long-lived manager that owns the parameters
     * @return this block
     */
    public ConvTextClassifier initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, 8), new Shape(1, 8));
        return this;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        long s = inputShapes[0].get(1);
        conv.initialize(manager, dataType, new Shape(b, config.embeddingSize(), s));
        classifier.initialize(manager, dataType, new Shape(b, config.filters()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray table = ps.getValue(embedding, ids.getDevice(), training);
        NDArray real = mask.toType(DataType.FLOAT32, false).expandDims(1); // (B, 1, S)
        // Token vectors at padded positions are zeroed, so that a window reaching past the last real token sees
        // the same zeros as the convolution's own padding: padding never changes a real position's features.
        NDArray x = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow() // (B, S, E)
                .transpose(0, 2, 1).mul(real); // (B, E, S)
        NDArray h = Activation.relu(conv.forward(ps, new NDList(x), training).singletonOrThrow());
        // Masked max pooling: padded positions get a very low score before the max over the length axis.
        NDArray pad = real.neg().add(1f).mul(PADDING_SCORE);
        NDArray v = h.add(pad).max(new int[] {2});
        NDArray dropped = Dropout.dropout(v, (float) config.dropout(), training).singletonOrThrow();
        NDArray logits = classifier.forward(ps, new NDList(dropped), training).singletonOrThrow();
        return new NDList(logits, v);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, config.numClasses()), new Shape(b, config.filters())};
    }
}
