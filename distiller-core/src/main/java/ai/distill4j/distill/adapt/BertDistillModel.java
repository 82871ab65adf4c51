package ai.distill4j.distill.adapt;

import ai.distill4j.distill.DistillModel;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.SafetensorsReader;
import ai.distill4j.model.io.TensorInfo;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The project's BERT as a {@link DistillModel} over {@link BertBatch}es. Saving writes the HuggingFace layout
 * ({@code config.json} and {@code model.safetensors}, as {@code save_pretrained}); restoring reads it back into the
 * same parameters.
 *
 * @since 0.1.0
 */
public final class BertDistillModel implements DistillModel<BertBatch, BertOutput> {

    private final BertModel model;
    private final boolean withQkv;
    private final Path tokenizerJson;
    private final boolean dropout;

    /**
     * Wraps a model.
     *
     * @param model an initialised BERT
     * @param withQkv whether the forward pass also returns queries, keys and values (for MiniLM-style losses)
     * @param tokenizerJson a tokenizer file copied next to saved weights, or {@code null}
     */
    public BertDistillModel(BertModel model, boolean withQkv, Path tokenizerJson) {
        this(model, withQkv, tokenizerJson, true);
    }

    private BertDistillModel(BertModel model, boolean withQkv, Path tokenizerJson, boolean dropout) {
        this.model = Objects.requireNonNull(model, "model");
        this.withQkv = withQkv;
        this.tokenizerJson = tokenizerJson;
        this.dropout = dropout;
    }

    /**
     * Returns a view that never applies dropout, even in training (a run file's {@code "dropout": false}).
     *
     * @return the view, sharing this model's parameters
     */
    public BertDistillModel withoutDropout() {
        return new BertDistillModel(model, withQkv, tokenizerJson, false);
    }

    /**
     * Returns a view that also returns queries, keys and values.
     *
     * @return the view, sharing this model's parameters
     */
    public BertDistillModel withQkv() {
        return new BertDistillModel(model, true, tokenizerJson, dropout);
    }

    /**
     * Wraps a model without queries/keys/values and without a tokenizer.
     *
     * @param model an initialised BERT
     * @return the wrapper
     */
    public static BertDistillModel of(BertModel model) {
        return new BertDistillModel(model, false, null);
    }

    /**
     * Returns the wrapped model.
     *
     * @return the model
     */
    public BertModel model() {
        return model;
    }

    /** {@inheritDoc} */
    @Override
    public BertOutput forward(ParameterStore parameters, BertBatch batch, NDManager manager, boolean training) {
        return model.forward(parameters, batch.toInputs(manager), training && dropout, withQkv);
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, Parameter> parameters() {
        return model.namedParameters();
    }

    /** {@inheritDoc} */
    @Override
    public void save(Path dir) throws IOException {
        if (tokenizerJson != null) {
            BertModels.save(model, dir, tokenizerJson);
        } else {
            BertModels.save(model, dir);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void restore(Path dir) throws IOException {
        Path file = dir.resolve(BertModels.WEIGHTS);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing; cannot restore the student's weights");
        }
        Map<String, Parameter> params = model.namedParameters();
        Set<String> missing = new HashSet<>(params.keySet());
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (TensorInfo t : reader.tensors().values()) {
                String key = BertModels.canonicalName(t.name());
                Parameter p = params.get(key);
                if (p == null) {
                    continue;
                }
                if (!Arrays.equals(p.getShape().getShape(), t.shape())) {
                    throw new IOException(file + ": tensor '" + t.name() + "' has shape " + t.shapeString()
                            + ", the model expects " + p.getShape());
                }
                ByteBuffer data = reader.readFloat32(t.name());
                NDArray a = p.getArray();
                a.set(data);
                missing.remove(key);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        if (!missing.isEmpty()) {
            throw new IOException(file + ": tensors missing for " + new java.util.TreeSet<>(missing));
        }
    }
}
