package ai.distill4j.model.sentence;

import com.google.gson.JsonObject;
import java.util.Objects;

/**
 * One entry of a Sentence-Transformers {@code modules.json}: the module's position, name, folder (relative to the
 * model folder; empty for a module saved in the root) and fully qualified class.
 *
 * @param idx the position in the pipeline, from 0
 * @param name the module's name (Sentence-Transformers uses {@code "0"}, {@code "1"}, ...)
 * @param path the folder, e.g. {@code ""} or {@code 1_Pooling}
 * @param type the class, e.g. {@code sentence_transformers.models.Pooling}
 * @since 0.1.0
 */
public record ModuleEntry(int idx, String name, String path, String type) {

    /** The class of the Transformer module (the BERT encoder, saved in the root folder). */
    public static final String TRANSFORMER = "sentence_transformers.models.Transformer";
    /** The class of the Pooling module. */
    public static final String POOLING = "sentence_transformers.models.Pooling";
    /** The class of the Normalize module. */
    public static final String NORMALIZE = "sentence_transformers.models.Normalize";

    /**
     * Validates.
     *
     * @param idx {@code >= 0}
     * @param name not null
     * @param path not null
     * @param type not null
     */
    public ModuleEntry {
        if (idx < 0) {
            throw new IllegalArgumentException("modules.json idx = " + idx + ": must be >= 0");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
    }

    /**
     * Returns the entry as Sentence-Transformers writes it: {@code {"idx", "name", "path", "type"}}.
     *
     * @return a new object
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("idx", idx);
        o.addProperty("name", name);
        o.addProperty("path", path);
        o.addProperty("type", type);
        return o;
    }
}
