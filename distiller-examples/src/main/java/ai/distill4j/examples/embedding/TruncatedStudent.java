package ai.distill4j.examples.embedding;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.initializer.Initializer;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Builds a narrower and shallower student from a teacher by truncation: the student keeps the teacher's head size
 * and drops heads, hidden units and feed-forward units, and every weight is the leading block of the teacher's.
 *
 * <p>With {@code hidden = h} the student has {@code h / head_size} heads and an intermediate size of
 * {@code intermediate_T * h / hidden_T}. Student layer {@code i} is teacher layer {@code layers[i]}. Each parameter
 * of shape {@code (d0, d1, ...)} is {@code teacher[:d0, :d1, ...]} of the matching teacher parameter: for the
 * attention projections this keeps whole heads (the first {@code h / head_size}), for the word, position and type
 * embeddings the first {@code h} components. The result is not the teacher's function restricted to a subspace,
 * but it starts training from the teacher's statistics instead of from noise, which matters for short budgets.
 *
 * @since 0.1.0
 */
public final class TruncatedStudent {

    private TruncatedStudent() {}

    /**
     * Builds the student's config.
     *
     * @param teacher the teacher's config
     * @param hidden the student's hidden size: a multiple of the teacher's head size, at most the teacher's
     * @param layers the number of layers
     * @return the config, with no task fields changed
     * @throws IllegalArgumentException when {@code hidden} is not a positive multiple of the head size or exceeds
     *     the teacher's hidden size
     */
    public static BertConfig config(BertConfig teacher, int hidden, int layers) {
        int headSize = teacher.headSize();
        if (hidden <= 0 || hidden % headSize != 0 || hidden > teacher.hiddenSize()) {
            throw new IllegalArgumentException("hidden = " + hidden + ": must be a positive multiple of the teacher's"
                    + " head size " + headSize + " and at most its hidden size " + teacher.hiddenSize());
        }
        long intermediate = (long) teacher.intermediateSize() * hidden / teacher.hiddenSize();
        return teacher.toBuilder()
                .hiddenSize(hidden)
                .numAttentionHeads(hidden / headSize)
                .intermediateSize(Math.toIntExact(intermediate))
                .numHiddenLayers(layers)
                .build();
    }

    /**
     * Creates the student and copies the leading blocks of the teacher's weights into it.
     *
     * @param teacher an initialised teacher
     * @param hidden the student's hidden size (see {@link #config})
     * @param layers 0-based teacher layers, one per student layer
     * @param manager the long-lived manager that will own the student's parameters
     * @return the initialised student, without a task head
     * @throws IllegalArgumentException for a bad width or layer index
     */
    public static BertModel fromTeacher(BertModel teacher, int hidden, int[] layers, NDManager manager) {
        int teacherLayers = teacher.config().numHiddenLayers();
        if (layers.length == 0) {
            throw new IllegalArgumentException("layers must name at least one teacher layer");
        }
        for (int l : layers) {
            if (l < 0 || l >= teacherLayers) {
                throw new IllegalArgumentException(
                        "layers contains " + l + ", but the teacher has layers 0.." + (teacherLayers - 1));
            }
        }
        BertModel student = new BertModel(config(teacher.config(), hidden, layers.length), BertHead.NONE);
        student.setInitializer(Initializer.ZEROS, p -> true);
        student.initialize(manager, DataType.FLOAT32);
        Map<String, Parameter> from = teacher.namedParameters();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager tmp = manager.newSubManager()) {
            for (Map.Entry<String, Parameter> en : student.namedParameters().entrySet()) {
                String name = en.getKey();
                String source = name;
                if (name.startsWith("encoder.layer.")) {
                    int dot = name.indexOf('.', "encoder.layer.".length());
                    int i = Integer.parseInt(name.substring("encoder.layer.".length(), dot));
                    source = "encoder.layer." + layers[i] + name.substring(dot);
                }
                Parameter src = from.get(source);
                if (src == null) {
                    throw new IllegalStateException("the teacher has no parameter " + source);
                }
                NDArray target = en.getValue().getArray();
                NDArray block = src.getArray().get(leadingBlock(target.getShape().getShape()));
                block.attach(tmp);
                target.set(block.toByteBuffer());
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return student;
    }

    /** {@code ":d0, :d1, ..."}: the leading block of the given shape. */
    static NDIndex leadingBlock(long[] shape) {
        StringJoiner j = new StringJoiner(", ");
        for (long d : shape) {
            j.add(":" + d);
        }
        return new NDIndex(j.toString());
    }
}
