package ai.distill4j.examples.custom;

import ai.distill4j.distill.DistillModel;
import ai.distill4j.distill.adapt.BertBatch;
import ai.distill4j.model.io.SafetensorsReader;
import ai.distill4j.model.io.SafetensorsWriter;
import ai.distill4j.model.io.TensorInfo;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link ConvTextClassifier} as the training engine sees it: the user-written half of plugging a custom model
 * into distill4j (the other half is {@link ConvAdaptor}).
 *
 * <ul>
 *   <li>{@link #forward}: the batch's ids and mask become arrays in the step's manager, so every activation lives
 *       there and is freed at the end of the step;
 *   <li>{@link #parameters}: the block's parameters under stable names ({@code embedding}, {@code 01conv_weight},
 *       ...), the names checkpoints use;
 *   <li>{@link #save} / {@link #restore}: {@code model.safetensors} plus {@code conv_config.json}.
 * </ul>
 *
 * @since 0.1.0
 */
public final class ConvDistillModel implements DistillModel<BertBatch, ConvOutput> {

    /** The weights file of a saved model. */
    public static final String WEIGHTS = "model.safetensors";

    private final ConvTextClassifier block;
    private final Map<String, Parameter> named;

    /**
     * Wraps an initialised block.
     *
     * @param block the classifier
     * @throws IllegalStateException when the block is not initialised
     */
    public ConvDistillModel(ConvTextClassifier block) {
        if (!block.isInitialized()) {
            throw new IllegalStateException("initialise the ConvTextClassifier before wrapping it");
        }
        this.block = block;
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            m.put(p.getKey(), p.getValue());
        }
        this.named = Collections.unmodifiableMap(m);
    }

    /**
     * Returns the wrapped block.
     *
     * @return the block
     */
    public ConvTextClassifier block() {
        return block;
    }

    /** {@inheritDoc} */
    @Override
    public ConvOutput forward(ParameterStore parameters, BertBatch batch, NDManager manager, boolean training) {
        NDList out = block.forward(parameters,
                new NDList(batch.toInputs(manager).inputIds(), batch.attentionMaskArray(manager)), training);
        return new ConvOutput(out.get(0), out.get(1));
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Parameter> parameters() {
        return named;
    }

    /** {@inheritDoc} */
    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter w = new SafetensorsWriter();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            w.add(e.getKey(), e.getValue().getArray());
        }
        w.write(dir.resolve(WEIGHTS));
        block.config().write(dir.resolve(ConvTextConfig.FILE));
    }

    /** {@inheritDoc} */
    @Override
    public void restore(Path dir) throws IOException {
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing; cannot restore the convolutional model");
        }
        Set<String> missing = new HashSet<>(named.keySet());
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (TensorInfo t : reader.tensors().values()) {
                Parameter p = named.get(t.name());
                if (p == null) {
                    continue;
                }
                if (!Arrays.equals(p.getShape().getShape(), t.shape())) {
                    throw new IOException(file + ": tensor '" + t.name() + "' has shape " + t.shapeString()
                            + ", the model expects " + p.getShape());
                }
                p.getArray().set(reader.readFloat32(t.name()));
                missing.remove(t.name());
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        if (!missing.isEmpty()) {
            throw new IOException(file + ": tensors missing for " + new TreeSet<>(missing));
        }
    }
}
