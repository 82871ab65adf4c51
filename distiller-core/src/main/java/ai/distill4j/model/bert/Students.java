package ai.distill4j.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds student models: a shallower copy of a teacher (layer selection, as in PKD / DistilBERT-style
 * initialisation), or a freshly initialised model as HuggingFace's {@code _init_weights} does it.
 *
 * @since 0.1.0
 */
public final class Students {

    private Students() {}

    /**
     * Creates a student with the teacher's config except {@code num_hidden_layers = layers.length}, and copies
     * the embeddings, the chosen encoder layers (student layer i = teacher layer {@code layers[i]}) and the head
     * ({@code pooler.*}, {@code classifier.*}) exactly.
     *
     * @param teacher an initialised teacher
     * @param layers 0-based teacher layer indices, one per student layer (repeats allowed)
     * @param manager the long-lived manager that will own the student's parameters
     * @return the initialised student
     * @throws IllegalArgumentException when {@code layers} is empty or holds an index out of range
     */
    public static BertModel fromTeacher(BertModel teacher, int[] layers, NDManager manager) {
        if (!teacher.isInitialized()) {
            throw new IllegalStateException("the teacher must be initialised before building a student from it");
        }
        int teacherLayers = teacher.config().numHiddenLayers();
        if (layers.length == 0) {
            throw new IllegalArgumentException("layers must name at least one teacher layer");
        }
        for (int l : layers) {
            if (l < 0 || l >= teacherLayers) {
                throw new IllegalArgumentException("layers contains " + l + ", but the teacher has layers 0.."
                        + (teacherLayers - 1));
            }
        }
        BertConfig config = teacher.config().toBuilder().numHiddenLayers(layers.length).build();
        BertModel student = new BertModel(config, teacher.head());
        student.setInitializer(Initializer.ZEROS, p -> true);
        student.initialize(manager, DataType.FLOAT32);
        Map<String, Parameter> from = teacher.namedParameters();
        for (Map.Entry<String, Parameter> en : student.namedParameters().entrySet()) {
            String name = en.getKey();
            String source = name;
            if (name.startsWith("encoder.layer.")) {
                int dot = name.indexOf('.', "encoder.layer.".length());
                int i = Integer.parseInt(name.substring("encoder.layer.".length(), dot));
                source = "encoder.layer." + layers[i] + name.substring(dot);
            }
            NDArray src = from.get(source).getArray();
            en.getValue().getArray().set(src.toByteBuffer());
        }
        return student;
    }

    /**
     * Creates a model initialised as HuggingFace's {@code BertPreTrainedModel._init_weights}: every linear and
     * embedding weight N(0, initializer_range) (the {@code pad_token_id} row of the word embeddings zeroed), biases
     * 0, LayerNorm weights 1 and biases 0. The values come from a Java generator seeded with {@code seed}, so the
     * same seed gives the same model regardless of the engine's random state.
     *
     * @param config the hyper-parameters
     * @param head the task head
     * @param seed the random seed
     * @param manager the long-lived manager that will own the parameters
     * @return the initialised model
     */
    public static BertModel random(BertConfig config, BertHead head, long seed, NDManager manager) {
        BertModel model = new BertModel(config, head);
        model.setInitializer(Initializer.ZEROS, p -> p.getType() == Parameter.Type.WEIGHT);
        model.initialize(manager, DataType.FLOAT32);
        SplittableRandom rng = new SplittableRandom(seed);
        double std = config.initializerRange();
        for (Map.Entry<String, Parameter> en : model.namedParameters().entrySet()) {
            Parameter p = en.getValue();
            if (p.getType() != Parameter.Type.WEIGHT) {
                continue;
            }
            long[] shape = p.getShape().getShape();
            int n = Math.toIntExact(p.getShape().size());
            ByteBuffer buf = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++) {
                buf.putFloat((float) (rng.nextGaussian() * std));
            }
            if (en.getKey().equals("embeddings.word_embeddings.weight") && config.padTokenId() != null) {
                int row = config.padTokenId();
                for (int j = 0; j < shape[1]; j++) {
                    buf.putFloat((int) ((row * shape[1] + j) * 4), 0f);
                }
            }
            p.getArray().set(buf.flip());
        }
        return model;
    }
}
