package ai.distill4j.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a safetensors file the way the reference implementation ({@code safetensors.torch.save_file}) does:
 * tensors ordered by dtype (widest first) then name, contiguous data, a compact JSON header with
 * {@code __metadata__} first, padded with spaces to a multiple of 8 bytes. The file is written to a temporary
 * file in the same folder, forced to disk, then renamed into place.
 *
 * <p>Tensor data are taken from their sources only while writing, one tensor at a time.
 *
 * <pre>{@code
 * new SafetensorsWriter().metadata("format", "pt").add("classifier.weight", weightArray).write(path);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SafetensorsWriter {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Creates an empty writer. */
    public SafetensorsWriter() {}

    /**
     * Adds a {@code __metadata__} entry (e.g. {@code format = pt}, which HuggingFace expects).
     *
     * @param key the key
     * @param value the value
     * @return this writer
     */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Adds an NDArray in its own type: FLOAT32 as F32, INT64 as I64, INT32 as I32.
     *
     * @param name the tensor name
     * @param array the array; read when {@link #write(Path)} runs
     * @return this writer
     * @throws IllegalArgumentException for another data type or a duplicate name
     */
    public SafetensorsWriter add(String name, NDArray array) {
        DataType t = array.getDataType();
        SafetensorsDType as = switch (t) {
            case FLOAT32 -> SafetensorsDType.F32;
            case INT64 -> SafetensorsDType.I64;
            case INT32 -> SafetensorsDType.I32;
            default -> throw new IllegalArgumentException("tensor '" + name + "': cannot write NDArray type " + t
                    + " (use FLOAT32, INT64 or INT32)");
        };
        return add(name, array, as);
    }

    /**
     * Adds an NDArray converted to a given dtype: a FLOAT32 array can be written as F32, F16 or BF16 (rounded to
     * nearest even); INT64/INT32 arrays as I64 or I32.
     *
     * @param name the tensor name
     * @param array the array; read when {@link #write(Path)} runs
     * @param as the dtype in the file
     * @return this writer
     * @throws IllegalArgumentException for an unsupported conversion or a duplicate name
     */
    public SafetensorsWriter add(String name, NDArray array, SafetensorsDType as) {
        long[] shape = array.getShape().getShape();
        DataType t = array.getDataType();
        if (t == DataType.FLOAT32 && as.isFloating() && as != SafetensorsDType.F64) {
            return put(name, as, shape, () -> array.toFloatArray());
        }
        if ((t == DataType.INT64 || t == DataType.INT32) && (as == SafetensorsDType.I64
                || as == SafetensorsDType.I32)) {
            return put(name, as, shape, () -> t == DataType.INT64 ? array.toLongArray() : toLongs(array.toIntArray()));
        }
        throw new IllegalArgumentException("tensor '" + name + "': cannot write NDArray type " + t + " as " + as);
    }

    /**
     * Adds float values, written as F32, F16 or BF16.
     *
     * @param name the tensor name
     * @param shape the shape; its product must equal {@code data.length}
     * @param data the values in row-major order (not copied; do not change them before writing)
     * @param as F32, F16 or BF16
     * @return this writer
     */
    public SafetensorsWriter addFloats(String name, long[] shape, float[] data, SafetensorsDType as) {
        if (!as.isFloating() || as == SafetensorsDType.F64) {
            throw new IllegalArgumentException("tensor '" + name + "': float data can be written as F32, F16 or BF16, "
                    + "not " + as);
        }
        checkCount(name, shape, data.length);
        return put(name, as, shape, () -> data);
    }

    /**
     * Adds integer values, written as I64 or I32.
     *
     * @param name the tensor name
     * @param shape the shape; its product must equal {@code data.length}
     * @param data the values in row-major order (not copied)
     * @param as I64 or I32
     * @return this writer
     */
    public SafetensorsWriter addLongs(String name, long[] shape, long[] data, SafetensorsDType as) {
        if (as != SafetensorsDType.I64 && as != SafetensorsDType.I32) {
            throw new IllegalArgumentException("tensor '" + name + "': integer data can be written as I64 or I32, "
                    + "not " + as);
        }
        checkCount(name, shape, data.length);
        return put(name, as, shape, () -> data);
    }

    private static void checkCount(String name, long[] shape, int length) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape");
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape holds " + n + " elements but "
                    + length + " values were given");
        }
    }

    private static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private SafetensorsWriter put(String name, SafetensorsDType as, long[] shape, DataSource source) {
        Objects.requireNonNull(name, "name");
        if ("__metadata__".equals(name)) {
            throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
        }
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' was added twice");
        }
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        entries.put(name, new Entry(name, as, shape.clone(), n * as.bytes(), source));
        return this;
    }

    /**
     * Writes the file atomically (temporary file, fsync, rename).
     *
     * @param file the target
     * @throws IOException when writing fails; the message names the file (and the tensor, if one failed)
     */
    public void write(Path file) throws IOException {
        List<Entry> ordered = new ArrayList<>(entries.values());
        ordered.sort(Comparator.comparingInt((Entry e) -> -rank(e.dtype)).thenComparing(e -> e.name));
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Entry e : ordered) {
            JsonObject o = new JsonObject();
            o.addProperty("dtype", e.dtype.name());
            JsonArray shape = new JsonArray();
            for (long d : e.shape) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + e.bytes);
            o.add("data_offsets", offsets);
            header.add(e.name, o);
            offset += e.bytes;
        }
        byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // a sibling temp file created with the default permissions (Files.createTempFile would make it 0600)
        Path tmp = dir.resolve("." + abs.getFileName() + "." + System.nanoTime() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                writeFully(ch, head);
                for (Entry e : ordered) {
                    try {
                        writeFully(ch, e.encode());
                    } catch (IOException | RuntimeException ex) {
                        throw new IOException(file + ": tensor '" + e.name + "': cannot write: " + ex.getMessage(),
                                ex);
                    }
                }
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Rank of the reference implementation's dtype enum (larger first in the file). */
    private static int rank(SafetensorsDType t) {
        return switch (t) {
            case BOOL -> 0;
            case U8 -> 1;
            case I8 -> 2;
            case I16 -> 3;
            case F16 -> 4;
            case BF16 -> 5;
            case I32 -> 6;
            case F32 -> 7;
            case F64 -> 8;
            case I64 -> 9;
        };
    }

    private interface DataSource {
        Object get();
    }

    private record Entry(String name, SafetensorsDType dtype, long[] shape, long bytes, DataSource source) {

        ByteBuffer encode() {
            Object data = source.get();
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalStateException(bytes + " bytes exceed the 2 GB per-tensor limit");
            }
            ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (data instanceof float[] f) {
                if ((long) f.length * dtype.bytes() != bytes) {
                    throw new IllegalStateException("holds " + f.length + " values, shape needs "
                            + bytes / dtype.bytes());
                }
                switch (dtype) {
                    case F32 -> out.asFloatBuffer().put(f);
                    case F16 -> {
                        for (float v : f) {
                            out.putShort(HalfFloats.floatToF16(v));
                        }
                    }
                    case BF16 -> {
                        for (float v : f) {
                            out.putShort(HalfFloats.floatToBf16(v));
                        }
                    }
                    default -> throw new IllegalStateException("float data as " + dtype);
                }
            } else {
                long[] l = (long[]) data;
                if ((long) l.length * dtype.bytes() != bytes) {
                    throw new IllegalStateException("holds " + l.length + " values, shape needs "
                            + bytes / dtype.bytes());
                }
                if (dtype == SafetensorsDType.I64) {
                    out.asLongBuffer().put(l);
                } else {
                    for (long v : l) {
                        out.putInt(Math.toIntExact(v));
                    }
                }
            }
            out.position(0).limit((int) bytes);
            return out;
        }
    }
}
