package ai.distill4j.distill;

import ai.distill4j.distill.config.Projection;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A trainable projection of student features to the teacher's width: {@code act(x·Wᵀ + b)} with {@code W}
 * {@code (dim_out, dim_in)} drawn from N(0, 0.02²) and {@code b = 0} (TextBrewer's {@code initializer_builder(0.02)}),
 * and {@code act} the identity, ReLU or tanh.
 *
 * @since 0.1.0
 */
public final class ProjectionLayer {

    private final Projection spec;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * Creates and initialises the layer.
     *
     * @param spec the projection
     * @param manager the manager that owns the parameters
     * @param seed the seed of the weight initialisation
     */
    public ProjectionLayer(Projection spec, NDManager manager, long seed) {
        this.spec = spec;
        Random random = new Random(seed);
        float[] w = new float[spec.dimOut() * spec.dimIn()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.02);
        }
        weight = Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build();
        NDArray wa = manager.create(w, new Shape(spec.dimOut(), spec.dimIn()));
        wa.setRequiresGradient(true);
        weight.setArray(wa);
        bias = Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build();
        NDArray ba = manager.zeros(new Shape(spec.dimOut()));
        ba.setRequiresGradient(true);
        bias.setArray(ba);
    }

    /**
     * Returns the projection this layer implements.
     *
     * @return the spec
     */
    public Projection spec() {
        return spec;
    }

    /**
     * Applies the projection.
     *
     * @param x {@code (..., dim_in)} (a per-step array)
     * @return {@code (..., dim_out)}, in {@code x}'s manager
     */
    public NDArray apply(NDArray x) {
        NDArray y = Linear.linear(x, weight.getArray(), bias.getArray()).singletonOrThrow();
        return switch (spec.kind()) {
            case "relu" -> ai.djl.nn.Activation.relu(y);
            case "tanh" -> y.tanh();
            default -> y;
        };
    }

    /**
     * Returns the parameters by name ({@code weight}, {@code bias}).
     *
     * @return the parameters
     */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("weight", weight);
        m.put("bias", bias);
        return m;
    }
}
