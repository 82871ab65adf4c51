package ai.distill4j.model.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The weights of an ONNX BERT graph under their HuggingFace names and in HuggingFace layout ({@code Linear} weights
 * {@code [out, in]}), plus the initializers that were not recognised as weights.
 *
 * @param tensors HF parameter name (no {@code bert.} prefix) to tensor, in a stable order
 * @param unusedInitializers initializers that map to no BERT parameter (e.g. {@code embeddings.position_ids})
 * @since 0.1.0
 */
record RecoveredWeights(Map<String, OnnxTensorData> tensors, List<String> unusedInitializers) {

    /**
     * Copies the collections.
     *
     * @param tensors HF parameter name (no {@code bert.} prefix) to tensor, in a stable order
     * @param unusedInitializers initializers that map to no BERT parameter (e.g. {@code embeddings.position_ids})
     */
    public RecoveredWeights {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        unusedInitializers = List.copyOf(unusedInitializers);
    }

    /**
     * Returns the tensor of a parameter.
     *
     * @param hfName the HF parameter name, e.g. {@code embeddings.word_embeddings.weight}
     * @return the tensor
     * @throws IllegalArgumentException if the graph holds no such parameter (the message names it)
     */
    public OnnxTensorData require(String hfName) {
        OnnxTensorData t = tensors.get(Objects.requireNonNull(hfName, "hfName"));
        if (t == null) {
            throw new IllegalArgumentException("the ONNX graph has no weight for '" + hfName + "'");
        }
        return t;
    }
}
