package ai.distill4j.distill;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How the teacher cache ({@code is_caching_logits}) stores the teacher's outputs: their precision, where they live and
 * how much room they may take.
 *
 * <ul>
 *   <li>{@code float16} halves the cache: floating-point outputs (logits and the features the matches use) are
 *       stored as IEEE half precision (about three significant digits) and widened to float32 when read. Finite
 *       values beyond ±65504 saturate; values at or below −65504 are read back as float32's lowest value
 *       ({@code -3.4028235e38}), so the additive attention mask inside pre-softmax scores survives exactly. Integer
 *       arrays (logits masks) keep their type.
 *   <li>A {@code directory} moves the cache from native memory to one scratch file in that folder (deleted when the
 *       distiller is closed); reads then come from the file system's page cache or the disk.
 *   <li>{@code maxBytes} caps the stored bytes: batches that no longer fit are not cached, and the teacher runs on
 *       them every epoch. {@code 0} means no cap.
 * </ul>
 *
 * <p>The default, {@link #DEFAULT}, is TextBrewer's behaviour: float32, in memory, no cap.
 *
 * @param float16 whether floating-point outputs are stored in half precision
 * @param directory the folder of the scratch file, or {@code null} to keep the cache in memory
 * @param maxBytes the cap on stored bytes, {@code 0} for none
 * @since 0.1.0
 */
public record TeacherCacheConfig(boolean float16, Path directory, long maxBytes) {

    /** Float32, in memory, no cap. */
    public static final TeacherCacheConfig DEFAULT = new TeacherCacheConfig(false, null, 0);

    /**
     * Validates the config.
     *
     * @param float16 half precision on/off
     * @param directory the scratch folder or {@code null}
     * @param maxBytes the cap, {@code >= 0}
     * @throws IllegalArgumentException when {@code maxBytes} is negative
     */
    public TeacherCacheConfig {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("teacher_cache.max_bytes = " + maxBytes + ": must be >= 0 (0 = no cap)");
        }
    }

    /**
     * Returns this config with half or full precision.
     *
     * @param value true for float16
     * @return the new config
     */
    public TeacherCacheConfig withFloat16(boolean value) {
        return new TeacherCacheConfig(value, directory, maxBytes);
    }

    /**
     * Returns this config storing the cache in a scratch file in a folder.
     *
     * @param value the folder, or {@code null} for memory
     * @return the new config
     */
    public TeacherCacheConfig withDirectory(Path value) {
        return new TeacherCacheConfig(float16, value, maxBytes);
    }

    /**
     * Returns this config with a cap on the stored bytes.
     *
     * @param value the cap, {@code 0} for none
     * @return the new config
     */
    public TeacherCacheConfig withMaxBytes(long value) {
        return new TeacherCacheConfig(float16, directory, value);
    }

    /**
     * Describes the config in a few words.
     *
     * @return e.g. {@code "float16 on disk in /tmp, at most 512.0 MB"}
     */
    public String describe() {
        String where = directory == null ? "in memory" : "on disk in " + directory;
        String cap = maxBytes == 0 ? "no cap" : String.format(Locale.ROOT, "at most %.1f MB", maxBytes / 1048576.0);
        return (float16 ? "float16 " : "float32 ") + where + ", " + cap;
    }
}
