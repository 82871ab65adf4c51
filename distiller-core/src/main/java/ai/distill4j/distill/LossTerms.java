package ai.distill4j.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The loss of one forward batch: the total that is back-propagated and the unweighted terms that are logged under
 * TextBrewer's names ({@code unweighted_kd_loss}, {@code unweighted_hidden_hidden_mse_1_2}, ...).
 *
 * @since 0.1.0
 */
public final class LossTerms {

    private final NDArray total;
    private final Map<String, NDArray> terms;

    /**
     * Creates the terms.
     *
     * @param total the scalar total loss
     * @param terms the unweighted terms by log name, in log order
     */
    public LossTerms(NDArray total, Map<String, NDArray> terms) {
        this.total = Objects.requireNonNull(total, "total");
        this.terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    /**
     * Returns the total loss.
     *
     * @return a scalar
     */
    public NDArray total() {
        return total;
    }

    /**
     * Returns the unweighted terms.
     *
     * @return name to scalar, in log order
     */
    public Map<String, NDArray> terms() {
        return terms;
    }

    /**
     * Copies the total and every term to the host in one transfer.
     *
     * @return {@code total_loss} first, then every term, by name
     */
    public Map<String, Double> toHost() {
        NDList list = new NDList(terms.size() + 1);
        list.add(total.stopGradient().reshape(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
        for (NDArray t : terms.values()) {
            list.add(t.stopGradient().reshape(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
        }
        float[] values = NDArrays.concat(list).toFloatArray();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("total_loss", (double) values[0]);
        int i = 1;
        for (String name : terms.keySet()) {
            out.put(name, (double) values[i++]);
        }
        return out;
    }
}
