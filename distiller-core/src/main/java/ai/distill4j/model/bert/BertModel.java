package ai.distill4j.model.bert;

import ai.distill4j.loss.GraphScalar;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A BERT encoder with HuggingFace's exact layout and numerics, as one DJL block whose parameters carry the HF
 * names ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight},
 * {@code pooler.dense.weight}, {@code classifier.weight}, ...).
 *
 * <p>Numerics follow {@code transformers.BertModel} (eager attention): word + position + token-type embeddings,
 * LayerNorm over the last axis with {@code layer_norm_eps}, post-LN encoder layers, exact erf GELU, the additive
 * mask {@code (1 - mask) * finfo(float32).min} (never -inf), dropout on the embeddings, the attention probabilities,
 * every sub-layer output and before the classifier, and inverted dropout scaling.
 *
 * <p>Memory: all activations attach to the manager of the input ids (activations are always the first operand),
 * so closing the per-step manager frees them. The parameters live in the manager given to
 * {@link #initialize(NDManager, DataType, Shape...)}; always initialise explicitly (DJL would otherwise
 * auto-initialise into the parameter store's manager on the first training forward).
 *
 * @since 0.1.0
 */
public final class BertModel extends AbstractBlock {

    /** {@code torch.finfo(torch.float32).min}, the additive value for masked positions. */
    public static final float MASK_VALUE = -3.4028234663852886e38f;

    private static final byte VERSION = 1;

    private final BertConfig config;
    private final BertHead head;
    private final Map<String, Parameter> named = new LinkedHashMap<>();

    private final Parameter wordEmbeddings;
    private final Parameter positionEmbeddings;
    private final Parameter tokenTypeEmbeddings;
    private final Parameter embeddingsLnWeight;
    private final Parameter embeddingsLnBias;
    private final LayerParams[] layers;
    private final Parameter poolerWeight;
    private final Parameter poolerBias;
    private final Parameter classifierWeight;
    private final Parameter classifierBias;

    /**
     * Creates an uninitialised model. Its parameters carry HuggingFace's initialisers (normal with
     * {@code initializer_range} for weights and embeddings, zeros for biases, LayerNorm 1 / 0), applied by
     * {@link #initialize(NDManager, DataType, Shape...)} with the engine's random generator; for HF's
     * {@code _init_weights} with an explicit seed, use {@code Students.random}.
     *
     * @param config the hyper-parameters
     * @param head the task head
     */
    public BertModel(BertConfig config, BertHead head) {
        super(VERSION);
        this.config = Objects.requireNonNull(config, "config");
        this.head = Objects.requireNonNull(head, "head");
        int h = config.hiddenSize();
        int inter = config.intermediateSize();
        wordEmbeddings = weight("embeddings.word_embeddings.weight", config.vocabSize(), h);
        positionEmbeddings = weight("embeddings.position_embeddings.weight", config.maxPositionEmbeddings(), h);
        tokenTypeEmbeddings = weight("embeddings.token_type_embeddings.weight", config.typeVocabSize(), h);
        embeddingsLnWeight = gamma("embeddings.LayerNorm.weight", h);
        embeddingsLnBias = bias("embeddings.LayerNorm.bias", h);
        layers = new LayerParams[config.numHiddenLayers()];
        for (int l = 0; l < layers.length; l++) {
            String p = "encoder.layer." + l + ".";
            layers[l] = new LayerParams(
                    weight(p + "attention.self.query.weight", h, h), bias(p + "attention.self.query.bias", h),
                    weight(p + "attention.self.key.weight", h, h), bias(p + "attention.self.key.bias", h),
                    weight(p + "attention.self.value.weight", h, h), bias(p + "attention.self.value.bias", h),
                    weight(p + "attention.output.dense.weight", h, h), bias(p + "attention.output.dense.bias", h),
                    gamma(p + "attention.output.LayerNorm.weight", h), bias(p + "attention.output.LayerNorm.bias", h),
                    weight(p + "intermediate.dense.weight", inter, h), bias(p + "intermediate.dense.bias", inter),
                    weight(p + "output.dense.weight", h, inter), bias(p + "output.dense.bias", h),
                    gamma(p + "output.LayerNorm.weight", h), bias(p + "output.LayerNorm.bias", h));
        }
        if (head.hasPooler()) {
            poolerWeight = weight("pooler.dense.weight", h, h);
            poolerBias = bias("pooler.dense.bias", h);
        } else {
            poolerWeight = null;
            poolerBias = null;
        }
        if (head.hasClassifier()) {
            classifierWeight = weight("classifier.weight", config.numLabels(), h);
            classifierBias = bias("classifier.bias", config.numLabels());
        } else {
            classifierWeight = null;
            classifierBias = null;
        }
    }

    private Parameter weight(String name, int rows, int cols) {
        return register(name, Parameter.Type.WEIGHT, new Shape(rows, cols),
                new NormalInitializer((float) config.initializerRange()));
    }

    private Parameter bias(String name, int size) {
        return register(name, Parameter.Type.BIAS, new Shape(size), Initializer.ZEROS);
    }

    private Parameter gamma(String name, int size) {
        return register(name, Parameter.Type.GAMMA, new Shape(size), Initializer.ONES);
    }

    private Parameter register(String name, Parameter.Type type, Shape shape, Initializer init) {
        Parameter p = addParameter(
                Parameter.builder().setName(name).setType(type).optShape(shape).optInitializer(init).build());
        named.put(name, p);
        return p;
    }

    /**
     * Returns the hyper-parameters.
     *
     * @return the config
     */
    public BertConfig config() {
        return config;
    }

    /**
     * Returns the task head.
     *
     * @return the head
     */
    public BertHead head() {
        return head;
    }

    /**
     * Returns the parameters by their HuggingFace names (without the {@code bert.} prefix a classification
     * checkpoint adds), in HuggingFace's {@code named_parameters()} order.
     *
     * @return an unmodifiable map
     */
    public Map<String, Parameter> namedParameters() {
        return Collections.unmodifiableMap(named);
    }

    /**
     * Initialises every parameter in {@code manager} with its initialiser, as float32. Equivalent to
     * {@code initialize(manager, DataType.FLOAT32)}.
     *
     * @param manager the long-lived manager that owns the parameters
     * @return this model
     */
    public BertModel initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32);
        return this;
    }

    /**
     * Runs the model and returns every intermediate the distillers use.
     *
     * @param ps the parameter store (registers the parameters for the optimizer when training)
     * @param in the inputs; every output attaches to {@code in.inputIds()}'s manager
     * @param training true for training mode (dropout on)
     * @param withQkv true to also return the per-layer queries, keys and values
     * @return the outputs
     * @throws IllegalStateException when the model is not initialised
     * @throws IllegalArgumentException when the sequence is longer than {@code max_position_embeddings}
     */
    public BertOutput forward(ParameterStore ps, BertInputs in, boolean training, boolean withQkv) {
        return forward(ps, in, training, withQkv, true);
    }

    /**
     * Runs the model for predictions, embeddings or evaluation: inference mode (no dropout), without the per-layer
     * queries, keys, values and attention maps, each layer's maps freed as soon as the layer is done. Equivalent to
     * {@code forward(ps, in, false, false, false)}.
     *
     * @param ps the parameter store
     * @param in the inputs; every output attaches to {@code in.inputIds()}'s manager
     * @return the hidden states, the pooled output and the logits (the attention lists are empty)
     * @throws IllegalStateException when the model is not initialised
     * @throws IllegalArgumentException when the sequence is longer than {@code max_position_embeddings}
     */
    public BertOutput infer(ParameterStore ps, BertInputs in) {
        return forward(ps, in, false, false, false);
    }

    /**
     * Runs the model, keeping the per-layer attention maps or not. Without them (predictions, embeddings,
     * evaluation) each layer's {@code (B, A, S, S)} scores and probabilities are freed as soon as the layer is done
     * instead of living until the caller's manager closes: two maps per layer, 50 MB per layer at batch 32 and
     * length 128 with 12 heads.
     *
     * @param ps the parameter store (registers the parameters for the optimizer when training)
     * @param in the inputs; every output attaches to {@code in.inputIds()}'s manager
     * @param training true for training mode (dropout on)
     * @param withQkv true to also return the per-layer queries, keys and values
     * @param keepAttention false to leave {@link BertOutput#attentionScores()} and
     *     {@link BertOutput#attentionProbs()} empty and free the maps layer by layer
     * @return the outputs
     * @throws IllegalStateException when the model is not initialised
     * @throws IllegalArgumentException when the sequence is longer than {@code max_position_embeddings}
     */
    public BertOutput forward(ParameterStore ps, BertInputs in, boolean training, boolean withQkv,
            boolean keepAttention) {
        if (!isInitialized()) {
            throw new IllegalStateException("BertModel is not initialised: call initialize(manager) or load it "
                    + "with BertModels.load before the first forward");
        }
        int b = Math.toIntExact(in.batchSize());
        int s = Math.toIntExact(in.sequenceLength());
        if (s > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + s + " exceeds max_position_embeddings = "
                    + config.maxPositionEmbeddings());
        }
        int h = config.hiddenSize();
        int a = config.numAttentionHeads();
        int d = config.headSize();
        float eps = (float) config.layerNormEps();
        float pHidden = (float) config.hiddenDropoutProb();
        float pAttn = (float) config.attentionProbsDropoutProb();
        NDArray ids = in.inputIds();
        NDManager m = ids.getManager();
        Device dev = ids.getDevice();
        Shape hShape = new Shape(h);

        // In-place ops (addi, divi) only touch fresh results whose producers do not need them for backward
        // (embedding, matmul, linear, dropout), so autograd stays exact and fewer arrays are allocated.

        // Every block below runs in an NDScope that closes its intermediates as soon as the block is done, keeping
        // only the block's outputs: the memory held per step is then what autograd saved (as in PyTorch), not
        // every temporary of the forward pass. Closing an array autograd still needs is safe: the graph holds its
        // own reference to the tensor.

        // Embeddings and the additive mask (B, 1, 1, S).
        NDArray x;
        NDArray extMask;
        try (NDScope scope = new NDScope()) {
            NDArray types = in.tokenTypeIds() != null ? in.tokenTypeIds()
                    : m.zeros(ids.getShape(), DataType.INT64, dev);
            NDArray positions = m.arange(0, s, 1, DataType.INT64).expandDims(0);
            x = embed(ids, ps, wordEmbeddings, dev, training)
                    .addi(embed(types, ps, tokenTypeEmbeddings, dev, training))
                    .addi(embed(positions, ps, positionEmbeddings, dev, training));
            x = LayerNorm.layerNorm(x, hShape, value(ps, embeddingsLnWeight, dev, training),
                    value(ps, embeddingsLnBias, dev, training), eps).singletonOrThrow();
            x = dropout(x, pHidden, training);
            // a mask of ones adds 0 to every score: skip the (B, A, S, S) addition in every layer
            if (in.attentionMask() != null && !keepsEveryToken(in.attentionMask())) {
                extMask = in.attentionMask().toType(DataType.FLOAT32, false).reshape(b, 1, 1, s)
                        .neg().add(1f).mul(MASK_VALUE);
            } else {
                extMask = null;
            }
            keep(x, extMask);
        }
        reRegister(x, extMask);
        float scale = (float) Math.sqrt(d);

        List<NDArray> hidden = new ArrayList<>(layers.length + 1);
        List<NDArray> scores = new ArrayList<>(layers.length);
        List<NDArray> probs = new ArrayList<>(layers.length);
        List<NDArray> qs = new ArrayList<>();
        List<NDArray> ks = new ArrayList<>();
        List<NDArray> vs = new ArrayList<>();
        hidden.add(x);
        Shape split = new Shape(b, s, a, d);
        Shape merged = new Shape(b, s, h);
        for (LayerParams lp : layers) {
            NDArray q;
            NDArray k;
            NDArray v;
            NDArray sc;
            NDArray pr;
            try (NDScope scope = new NDScope()) {
                // One (3H x H) product for the query, key and value projections instead of three (H x H) ones.
                // Unless the queries are returned, the 1/sqrt(d) score scale is folded into the query weights
                // (H x H) instead of dividing every (B, A, S, S) score, forward and backward.
                NDArray qw = value(ps, lp.qw, dev, training);
                NDArray qb = value(ps, lp.qb, dev, training);
                if (!withQkv) {
                    // the constant lives in the step's manager (x's), not the parameters'; see GraphScalar
                    NDArray invScale = GraphScalar.of(x, 1.0 / scale);
                    qw = qw.mul(invScale);
                    qb = qb.mul(invScale);
                }
                NDArray qkvWeight = NDArrays.concat(new NDList(qw, value(ps, lp.kw, dev, training),
                        value(ps, lp.vw, dev, training)), 0);
                NDArray qkvBias = NDArrays.concat(new NDList(qb, value(ps, lp.kb, dev, training),
                        value(ps, lp.vb, dev, training)), 0);
                qkvWeight.attach(m);
                qkvBias.attach(m);
                NDList qkv = linear(x, qkvWeight, qkvBias).split(3, 2);
                q = qkv.get(0).reshape(split).transpose(0, 2, 1, 3);
                k = qkv.get(1).reshape(split).transpose(0, 2, 1, 3);
                v = qkv.get(2).reshape(split).transpose(0, 2, 1, 3);
                sc = q.matMul(k.transpose(0, 1, 3, 2));
                if (withQkv) {
                    sc.divi(GraphScalar.of(sc, scale)); // not divi(float): see GraphScalar
                }
                if (extMask != null) {
                    sc.addi(extMask);
                }
                pr = sc.softmax(-1);
                NDArray ctx = dropout(pr, pAttn, training).matMul(v).transpose(0, 2, 1, 3).reshape(merged);
                NDArray attnOut = dropout(linear(ctx, ps, lp.aow, lp.aob, dev, training), pHidden, training)
                        .addi(x);
                attnOut = LayerNorm.layerNorm(attnOut, hShape, value(ps, lp.alnw, dev, training),
                        value(ps, lp.alnb, dev, training), eps).singletonOrThrow();
                NDArray inter = activation(linear(attnOut, ps, lp.iw, lp.ib, dev, training));
                NDArray out = dropout(linear(inter, ps, lp.ow, lp.ob, dev, training), pHidden, training)
                        .addi(attnOut);
                x = LayerNorm.layerNorm(out, hShape, value(ps, lp.olnw, dev, training),
                        value(ps, lp.olnb, dev, training), eps).singletonOrThrow();
                keep(x);
                if (keepAttention) {
                    keep(sc, pr);
                }
                if (withQkv) {
                    keep(q, k, v);
                }
            }
            reRegister(x);
            if (keepAttention) {
                reRegister(sc, pr);
                scores.add(sc);
                probs.add(pr);
            }
            if (withQkv) {
                reRegister(q, k, v);
            }
            hidden.add(x);
            if (withQkv) {
                qs.add(q);
                ks.add(k);
                vs.add(v);
            }
        }

        NDArray pooled = null;
        NDArray logits = null;
        float pCls = (float) config.effectiveClassifierDropout();
        if (head == BertHead.SEQUENCE_CLASSIFICATION) {
            NDArray cls = x.get(new NDIndex(":, 0"));
            pooled = linear(cls, ps, poolerWeight, poolerBias, dev, training).tanh();
            logits = linear(dropout(pooled, pCls, training), ps, classifierWeight, classifierBias, dev, training);
        } else if (head == BertHead.TOKEN_CLASSIFICATION) {
            logits = linear(dropout(x, pCls, training), ps, classifierWeight, classifierBias, dev, training);
        }
        return new BertOutput(hidden, scores, probs, qs, ks, vs, pooled, logits);
    }

    /** Takes arrays out of the innermost scope, so that closing it leaves them open. */
    private static void keep(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a != null) {
                NDScope.unregister(a);
            }
        }
    }

    /** Hands kept arrays to the caller's scope, if the caller opened one, as if they had been created there. */
    private static void reRegister(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a != null) {
                NDScope.register(a);
            }
        }
    }

    private static NDArray value(ParameterStore ps, Parameter p, Device dev, boolean training) {
        return ps.getValue(p, dev, training);
    }

    private static NDArray embed(NDArray ids, ParameterStore ps, Parameter table, Device dev, boolean training) {
        return Embedding.embedding(ids, ps.getValue(table, dev, training), SparseFormat.DENSE).singletonOrThrow();
    }

    private static NDArray linear(NDArray x, ParameterStore ps, Parameter w, Parameter bias, Device dev,
            boolean training) {
        return linear(x, ps.getValue(w, dev, training), ps.getValue(bias, dev, training));
    }

    /**
     * {@code F.linear} over the last axis. Inputs of higher rank are flattened to 2-D first: PyTorch then adds the
     * bias inside the matrix product (addmm) instead of in a separate pass over the output.
     */
    private static NDArray linear(NDArray x, NDArray w, NDArray bias) {
        Shape shape = x.getShape();
        int rank = shape.dimension();
        if (rank <= 2) {
            return Linear.linear(x, w, bias).singletonOrThrow();
        }
        NDArray y = Linear.linear(x.reshape(-1, shape.get(rank - 1)), w, bias).singletonOrThrow();
        long[] out = shape.getShape().clone();
        out[rank - 1] = w.getShape().get(0);
        return y.reshape(new Shape(out));
    }

    private static NDArray dropout(NDArray x, float rate, boolean training) {
        if (!training || rate == 0f) {
            return x;
        }
        return HostDropout.apply(x, rate);
    }

    private NDArray activation(NDArray x) {
        switch (config.hiddenAct()) {
            case "gelu":
                return Activation.gelu(x);
            case "gelu_new":
            case "gelu_pytorch_tanh":
                // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
                // constants as GraphScalar arrays, not floats: see GraphScalar
                NDArray inner = x.pow(GraphScalar.of(x, 3)).mul(GraphScalar.of(x, 0.044715)).add(x);
                NDArray t = inner.mul(GraphScalar.of(x, Math.sqrt(2.0 / Math.PI))).tanh().add(1f);
                return t.mul(x).mul(GraphScalar.of(x, 0.5));
            case "relu":
                return Activation.relu(x);
            default:
                throw new IllegalStateException("unsupported hidden_act " + config.hiddenAct());
        }
    }

    /**
     * Runs the model as a plain DJL block.
     *
     * @param ps the parameter store
     * @param inputs {@code [input_ids, attention_mask?, token_type_ids?]}, each (B, S)
     * @param training true for training mode
     * @param params ignored
     * @return {@code [last_hidden_state]} for {@link BertHead#NONE}, else {@code [last_hidden_state, logits]}
     */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        BertOutput out = forward(ps, BertInputs.of(inputs), training, false, false);
        return out.logits() == null ? new NDList(out.lastHiddenState())
                : new NDList(out.lastHiddenState(), out.logits());
    }

    /**
     * Returns the shapes {@link #forwardInternal} produces.
     *
     * @param inputShapes the shapes of {@code [input_ids, ...]}, the first (B, S)
     * @return {@code [(B, S, H)]} plus the logits shape when there is a classifier
     */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        long s = inputShapes[0].get(1);
        Shape hiddenShape = new Shape(b, s, config.hiddenSize());
        switch (head) {
            case SEQUENCE_CLASSIFICATION:
                return new Shape[] {hiddenShape, new Shape(b, config.numLabels())};
            case TOKEN_CLASSIFICATION:
                return new Shape[] {hiddenShape, new Shape(b, s, config.numLabels())};
            default:
                return new Shape[] {hiddenShape};
        }
    }

    @Override
    public String toString() {
        return "BertModel{" + config + ", head=" + head + "}";
    }

    /** The parameters of one encoder layer, in HF order. */
    private record LayerParams(
            Parameter qw, Parameter qb, Parameter kw, Parameter kb, Parameter vw, Parameter vb,
            Parameter aow, Parameter aob, Parameter alnw, Parameter alnb,
            Parameter iw, Parameter ib, Parameter ow, Parameter ob, Parameter olnw, Parameter olnb) {}

    /** True when an attention mask has no zero (one small read of its minimum). */
    private static boolean keepsEveryToken(NDArray mask) {
        return mask.min().toType(DataType.FLOAT32, false).getFloat() != 0f;
    }

}
