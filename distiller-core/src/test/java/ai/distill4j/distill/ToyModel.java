package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.distill4j.distill.adapt.Adaptor;
import ai.distill4j.model.io.SafetensorsReader;
import ai.distill4j.model.io.SafetensorsWriter;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A linear classifier over float features: small enough for loop-rule tests that run many configurations. */
final class ToyModel implements DistillModel<ToyModel.Batch, NDArray> {

    /** Features {@code (B, in)} and labels {@code (B)}. */
    record Batch(float[][] x, long[] y) {}

    private final Parameter weight;
    private final Parameter bias;

    ToyModel(NDManager manager, int in, int out, long seed) {
        Random r = new Random(seed);
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.5f;
        }
        weight = Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build();
        NDArray wa = manager.create(w, new Shape(out, in));
        wa.setRequiresGradient(true);
        weight.setArray(wa);
        bias = Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build();
        NDArray ba = manager.zeros(new Shape(out));
        ba.setRequiresGradient(true);
        bias.setArray(ba);
    }

    @Override
    public NDArray forward(ParameterStore ps, Batch batch, NDManager manager, boolean training) {
        int b = batch.x().length;
        int in = batch.x()[0].length;
        float[] flat = new float[b * in];
        for (int i = 0; i < b; i++) {
            System.arraycopy(batch.x()[i], 0, flat, i * in, in);
        }
        NDArray x = manager.create(flat, new Shape(b, in));
        return Linear.linear(x, weight.getArray(), bias.getArray()).singletonOrThrow();
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("linear.weight", weight);
        m.put("linear.bias", bias);
        return m;
    }

    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter w = new SafetensorsWriter();
        parameters().forEach((k, v) -> w.add(k, v.getArray()));
        w.write(dir.resolve("model.safetensors"));
    }

    @Override
    public void restore(Path dir) throws IOException {
        boolean gradMode = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("model.safetensors"))) {
            for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
                e.getValue().getArray().set(r.readFloats(e.getKey()));
            }
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(gradMode);
        }
    }

    float[] weights() {
        return weight.getArray().toFloatArray();
    }

    /** The adaptor: logits, labels and the cross-entropy as the hard-label loss. */
    static Adaptor<Batch, NDArray> adaptor(boolean hardLabel) {
        return (batch, out, manager) -> {
            AdaptedOutput.Builder b = AdaptedOutput.builder().addLogits(out);
            NDArray labels = manager.create(batch.y());
            b.addLabels(labels);
            if (hardLabel) {
                b.addLoss(ai.distill4j.distill.adapt.BertAdaptor.crossEntropy(out, labels));
            }
            return b.build();
        };
    }

    /** {@code n} batches of {@code size} rows with {@code in} features and labels in {@code [0, classes)}. */
    static List<Batch> data(int n, int size, int in, int classes, long seed) {
        Random r = new Random(seed);
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[][] x = new float[size][in];
            long[] y = new long[size];
            for (int j = 0; j < size; j++) {
                for (int k = 0; k < in; k++) {
                    x[j][k] = (float) r.nextGaussian();
                }
                y[j] = r.nextInt(classes);
            }
            out.add(new Batch(x, y));
        }
        return out;
    }
}
