package ai.distill4j.model.onnx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An ONNX model file ({@code ModelProto}): format version, producer, operator sets, the graph and metadata.
 *
 * @param irVersion the ONNX IR version ({@code ir_version})
 * @param producerName the tool that wrote the file
 * @param producerVersion its version
 * @param opsetImports operator set versions by domain (empty string = the default ONNX domain)
 * @param graph the graph
 * @param metadata free-form {@code metadata_props}
 * @since 0.1.0
 */
public record OnnxModel(
        long irVersion,
        String producerName,
        String producerVersion,
        Map<String, Long> opsetImports,
        OnnxGraph graph,
        Map<String, String> metadata) {

    /**
     * Validates and copies the maps.
     *
     * @param irVersion the ONNX IR version ({@code ir_version})
     * @param producerName the tool that wrote the file
     * @param producerVersion its version
     * @param opsetImports operator set versions by domain (empty string = the default ONNX domain)
     * @param graph the graph
     * @param metadata free-form {@code metadata_props}
     */
    public OnnxModel {
        producerName = producerName == null ? "" : producerName;
        producerVersion = producerVersion == null ? "" : producerVersion;
        opsetImports = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(opsetImports));
        Objects.requireNonNull(graph, "graph");
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Returns the version of the default ONNX operator set, or 0 if the file imports none.
     *
     * @return the opset version
     */
    public long defaultOpset() {
        Long v = opsetImports.get("");
        if (v == null) {
            v = opsetImports.get("ai.onnx");
        }
        return v == null ? 0 : v;
    }
}
