package ai.distill4j.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file: an 8-byte little-endian header length, a JSON header, then the raw little-endian tensor
 * data. Implemented in Java (no {@code NDList.decode}) so that BF16 checkpoints never reach DJL's native code, which
 * aborts the JVM on BF16.
 *
 * <p>{@link #open(Path)} validates the whole header before allocating anything for tensor data: the header length
 * against the file size and a 100 MB cap, every dtype, shape and {@code data_offsets} pair against the data section,
 * and that no two tensors overlap. Floating-point tensors (F64, F32, F16, BF16) are read as float32; integer ones as
 * int64. Every error is a one-line {@link IOException} naming the file and, where one is involved, the tensor.
 *
 * <p>Data are read with positional reads, one tensor at a time, so files larger than 2 GB work as long as each
 * tensor fits in a Java array.
 *
 * @since 0.1.0
 */
public final class SafetensorsReader implements Closeable {

    /** The largest header accepted, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final int CHUNK = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path file, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens a file and validates its header.
     *
     * @param file the {@code .safetensors} file
     * @return an open reader; close it when done
     * @throws IOException when the file cannot be read or its header is invalid
     */
    public static SafetensorsReader open(Path file) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new IOException(file + ": cannot open: " + e, e);
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(file + ": not a safetensors file: " + size + " bytes is shorter than the "
                        + "8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > size - 8) {
                throw new IOException(file + ": corrupt safetensors header: header length " + Long.toUnsignedString(
                        headerLen) + " does not fit in a file of " + size + " bytes");
            }
            if (headerLen > MAX_HEADER_BYTES) {
                throw new IOException(file + ": corrupt safetensors header: header length " + headerLen
                        + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, file);
            String json;
            try {
                json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBuf.flip()).toString();
            } catch (CharacterCodingException e) {
                throw new IOException(file + ": corrupt safetensors header: not UTF-8", e);
            }
            JsonElement root;
            try {
                root = JsonParser.parseString(json);
            } catch (JsonParseException e) {
                throw new IOException(file + ": corrupt safetensors header: not valid JSON ("
                        + oneLine(e.getMessage()) + ")", e);
            }
            if (root == null || !root.isJsonObject()) {
                throw new IOException(file + ": corrupt safetensors header: expected a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> en : root.getAsJsonObject().entrySet()) {
                String name = en.getKey();
                if ("__metadata__".equals(name)) {
                    parseMetadata(file, en.getValue(), metadata);
                    continue;
                }
                tensors.put(name, parseEntry(file, name, en.getValue(), dataSize));
            }
            checkOverlaps(file, tensors);
            return new SafetensorsReader(file, ch, dataStart, tensors, metadata);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException(file + ": corrupt safetensors header: " + oneLine(e.toString()), e);
        }
    }

    private static void parseMetadata(Path file, JsonElement e, Map<String, String> out) throws IOException {
        if (!e.isJsonObject()) {
            throw new IOException(file + ": corrupt safetensors header: __metadata__ must be an object of strings");
        }
        for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new IOException(file + ": corrupt safetensors header: __metadata__." + m.getKey()
                        + " must be a string");
            }
            out.put(m.getKey(), v.getAsString());
        }
    }

    private static TensorInfo parseEntry(Path file, String name, JsonElement e, long dataSize) throws IOException {
        String where = file + ": tensor '" + name + "': ";
        if (!e.isJsonObject()) {
            throw new IOException(where + "header entry must be an object, got " + oneLine(e.toString()));
        }
        JsonObject o = e.getAsJsonObject();
        JsonElement dt = o.get("dtype");
        if (dt == null || !dt.isJsonPrimitive() || !dt.getAsJsonPrimitive().isString()) {
            throw new IOException(where + "missing or invalid 'dtype'");
        }
        SafetensorsDType dtype = SafetensorsDType.fromHeader(dt.getAsString());
        if (dtype == null) {
            throw new IOException(where + "unsupported dtype " + dt.getAsString()
                    + " (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        long[] shape = longArray(where, o.get("shape"), "shape", -1);
        long[] offsets = longArray(where, o.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new IOException(where + "data_offsets [" + begin + ", " + end + "] are reversed");
        }
        if (end > dataSize) {
            throw new IOException(where + "data_offsets [" + begin + ", " + end + "] run past the end of the data ("
                    + dataSize + " bytes); the file is truncated or corrupt");
        }
        long count = 1;
        try {
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            long expected = Math.multiplyExact(count, (long) dtype.bytes());
            if (expected != end - begin) {
                throw new IOException(where + dtype + " " + java.util.Arrays.toString(shape) + " needs " + expected
                        + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
            }
        } catch (ArithmeticException ex) {
            throw new IOException(where + "shape " + java.util.Arrays.toString(shape) + " is too large", ex);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] longArray(String where, JsonElement e, String field, int length) throws IOException {
        if (e == null || !e.isJsonArray()) {
            throw new IOException(where + "missing or invalid '" + field + "'");
        }
        int n = e.getAsJsonArray().size();
        if (length >= 0 && n != length) {
            throw new IOException(where + "'" + field + "' must have " + length + " entries, got " + n);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            JsonElement v = e.getAsJsonArray().get(i);
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                throw new IOException(where + "'" + field + "' must hold integers, got " + oneLine(e.toString()));
            }
            double d = v.getAsDouble();
            if (d < 0 || d != Math.rint(d) || d > 9.0e15) {
                throw new IOException(where + "'" + field + "' must hold non-negative integers, got "
                        + oneLine(e.toString()));
            }
            out[i] = v.getAsLong();
        }
        return out;
    }

    private static void checkOverlaps(Path file, Map<String, TensorInfo> tensors) throws IOException {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        TensorInfo prev = null;
        for (TensorInfo t : sorted) {
            if (prev != null && t.begin() < prev.end() && t.end() > t.begin()) {
                throw new IOException(file + ": tensor '" + t.name() + "': data_offsets [" + t.begin() + ", "
                        + t.end() + "] overlap tensor '" + prev.name() + "' [" + prev.begin() + ", " + prev.end()
                        + "]");
            }
            if (prev == null || t.end() > prev.end()) {
                prev = t;
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException(file + ": unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    /**
     * Returns the file this reader reads.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the {@code __metadata__} entries (empty when absent).
     *
     * @return an unmodifiable map
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns the header entries in file order.
     *
     * @return an unmodifiable map from tensor name to its entry
     */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /**
     * Returns one header entry.
     *
     * @param name the tensor name
     * @return the entry
     * @throws IOException when the file has no such tensor
     */
    public TensorInfo info(String name) throws IOException {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new IOException(file + ": tensor '" + name + "' is missing");
        }
        return t;
    }

    /**
     * Reads a floating-point tensor as float32 into a new direct buffer in native byte order, the layout DJL's
     * {@code NDArray.set(Buffer)} and {@code NDManager.create(Buffer, Shape, DataType)} take without conversion.
     * F16 and BF16 are converted exactly; F64 is rounded to the nearest float.
     *
     * @param name the tensor name
     * @return a direct buffer of {@code elementCount * 4} bytes, positioned at 0
     * @throws IOException when the tensor is missing, not floating-point, too large, or cannot be read
     */
    public ByteBuffer readFloat32(String name) throws IOException {
        TensorInfo t = info(name);
        if (!t.dtype().isFloating()) {
            throw new IOException(file + ": tensor '" + name + "': dtype " + t.dtype()
                    + " is not a floating-point type");
        }
        long n = t.elementCount();
        if (n * 4 > Integer.MAX_VALUE) {
            throw new IOException(file + ": tensor '" + name + "': " + n + " elements exceed the 2 GB buffer limit");
        }
        ByteBuffer out = ByteBuffer.allocateDirect((int) (n * 4)).order(ByteOrder.nativeOrder());
        if (t.dtype() == SafetensorsDType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            readRange(t, out);
            return out.flip();
        }
        streamElements(t, (in, count) -> {
            for (int i = 0; i < count; i++) {
                switch (t.dtype()) {
                    case F32 -> out.putFloat(in.getFloat());
                    case F64 -> out.putFloat((float) in.getDouble());
                    case F16 -> out.putFloat(HalfFloats.f16ToFloat(in.getShort()));
                    case BF16 -> out.putFloat(HalfFloats.bf16ToFloat(in.getShort()));
                    default -> throw new IllegalStateException(t.dtype().toString());
                }
            }
        });
        return out.flip();
    }

    /**
     * Reads a floating-point tensor as a float32 Java array (see {@link #readFloat32(String)}).
     *
     * @param name the tensor name
     * @return the values in row-major order
     * @throws IOException when the tensor is missing, not floating-point, or cannot be read
     */
    public float[] readFloats(String name) throws IOException {
        ByteBuffer b = readFloat32(name);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /**
     * Reads an integer or boolean tensor as int64 values.
     *
     * @param name the tensor name
     * @return the values in row-major order
     * @throws IOException when the tensor is missing, floating-point, or cannot be read
     */
    public long[] readLongs(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.dtype().isFloating()) {
            throw new IOException(file + ": tensor '" + name + "': dtype " + t.dtype() + " is not an integer type");
        }
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": tensor '" + name + "': " + n + " elements exceed the Java array limit");
        }
        long[] out = new long[(int) n];
        int[] pos = {0};
        streamElements(t, (in, count) -> {
            for (int i = 0; i < count; i++) {
                out[pos[0]++] = switch (t.dtype()) {
                    case I64 -> in.getLong();
                    case I32 -> in.getInt();
                    case I16 -> in.getShort();
                    case I8 -> in.get();
                    case U8 -> in.get() & 0xFF;
                    case BOOL -> in.get() != 0 ? 1 : 0;
                    default -> throw new IllegalStateException(t.dtype().toString());
                };
            }
        });
        return out;
    }

    /**
     * Reads a tensor into a new NDArray: FLOAT32 for floating-point dtypes, INT64 for integer ones.
     *
     * @param name the tensor name
     * @param manager the manager that will own the array
     * @return the array, named {@code name}
     * @throws IOException when the tensor is missing or cannot be read
     */
    public NDArray read(String name, NDManager manager) throws IOException {
        TensorInfo t = info(name);
        Shape shape = new Shape(t.shape());
        NDArray a;
        if (t.dtype().isFloating()) {
            a = manager.create(readFloat32(name), shape, DataType.FLOAT32);
        } else {
            a = manager.create(readLongs(name), shape);
        }
        a.setName(name);
        return a;
    }

    private void readRange(TensorInfo t, ByteBuffer out) throws IOException {
        try {
            readFully(channel, out, dataStart + t.begin(), file);
        } catch (IOException e) {
            throw new IOException(file + ": tensor '" + t.name() + "': cannot read data: " + oneLine(e.getMessage()),
                    e);
        }
    }

    private interface ElementSink {
        void accept(ByteBuffer in, int count);
    }

    private void streamElements(TensorInfo t, ElementSink sink) throws IOException {
        int elem = t.dtype().bytes();
        int chunkElems = Math.max(1, CHUNK / elem);
        ByteBuffer buf = ByteBuffer.allocate(chunkElems * elem).order(ByteOrder.LITTLE_ENDIAN);
        long remaining = t.elementCount();
        long pos = dataStart + t.begin();
        while (remaining > 0) {
            int count = (int) Math.min(remaining, chunkElems);
            buf.clear().limit(count * elem);
            try {
                readFully(channel, buf, pos, file);
            } catch (IOException e) {
                throw new IOException(file + ": tensor '" + t.name() + "': cannot read data: "
                        + oneLine(e.getMessage()), e);
            }
            buf.flip();
            sink.accept(buf, count);
            pos += (long) count * elem;
            remaining -= count;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    /**
     * Closes the file.
     *
     * @throws IOException when closing fails
     */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
