package ai.distill4j.distill;

import ai.distill4j.distill.adapt.AdaptedOutput;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps teachers' adapted outputs per batch ({@code is_caching_logits}): the teacher runs once per distinct batch,
 * and later epochs read the cache. Batches are recognised by identity, so the data source must hand out the same
 * batch objects every epoch (in-memory sources do). Only the logits, logits masks and the feature entries that the
 * intermediate matches use are kept, as bytes on the Java heap or in a scratch file; on every read they are copied into
 * new arrays of the step's manager. How they are stored (float32 or float16, memory or a scratch file, a byte cap) follows a
 * {@link TeacherCacheConfig}.
 *
 * @since 0.1.0
 */
final class TeacherCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TeacherCache.class);

    /** The largest finite float16 value; float32 values are clamped to ±this before narrowing. */
    static final float HALF_MAX = 65504f;
    /** What cached values at or below {@code -HALF_MAX} read back as: float32's lowest, the additive mask value. */
    static final float MASK_VALUE = -3.4028234663852886e38f;

    private final NDManager manager;
    private final Map<String, Set<Integer>> usedFeatures;
    private final TeacherCacheConfig config;
    private final Map<Object, List<Stored>> entries = new IdentityHashMap<>();
    private final Map<Object, Boolean> skipped = new IdentityHashMap<>();
    private FileChannel file;
    private Path filePath;
    private long fileEnd;
    private long bytes;
    private boolean warnedFull;

    TeacherCache(NDManager parent, Map<String, Set<Integer>> usedFeatures) {
        this(parent, usedFeatures, TeacherCacheConfig.DEFAULT);
    }

    TeacherCache(NDManager parent, Map<String, Set<Integer>> usedFeatures, TeacherCacheConfig config) {
        this.manager = parent.newSubManager();
        this.manager.setName("teacher-cache");
        this.usedFeatures = usedFeatures;
        this.config = config;
    }

    int size() {
        return entries.size();
    }

    /** Bytes the cached outputs take (memory or file). */
    long bytes() {
        return bytes;
    }

    List<AdaptedOutput> get(Object batch, NDManager step) {
        List<Stored> cached = entries.get(batch);
        if (cached == null) {
            return null;
        }
        List<AdaptedOutput> out = new ArrayList<>(cached.size());
        for (Stored s : cached) {
            out.add(s.read(step));
        }
        return out;
    }

    void put(Object batch, List<AdaptedOutput> outputs) {
        if (entries.containsKey(batch) || skipped.containsKey(batch)) {
            return;
        }
        long need = 0;
        for (AdaptedOutput o : outputs) {
            for (NDArray a : kept(o)) {
                need += storedBytes(a);
            }
        }
        if (config.maxBytes() > 0 && bytes + need > config.maxBytes()) {
            skipped.put(batch, Boolean.TRUE);
            if (!warnedFull) {
                warnedFull = true;
                LOG.warn("Teacher cache full ({} batches, {} of {} bytes): later batches run the teacher every epoch",
                        entries.size(), bytes, config.maxBytes());
            }
            return;
        }
        List<Stored> kept = new ArrayList<>(outputs.size());
        for (AdaptedOutput o : outputs) {
            kept.add(store(o));
        }
        entries.put(batch, kept);
        bytes += need;
    }

    /** The arrays of an output that the cache keeps, in the order {@link #store} visits them. */
    private List<NDArray> kept(AdaptedOutput o) {
        List<NDArray> out = new ArrayList<>(o.logits());
        out.addAll(o.logitsMask());
        for (Map.Entry<String, List<NDArray>> e : o.features().entrySet()) {
            Set<Integer> used = usedFeatures.getOrDefault(e.getKey(), Set.of());
            for (int i = 0; i < e.getValue().size(); i++) {
                NDArray a = e.getValue().get(i);
                if (a != null && used.contains(i)) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    private long storedBytes(NDArray a) {
        int width = narrowed(a.getDataType()) ? 2 : a.getDataType().getNumOfBytes();
        return a.getShape().size() * width;
    }

    private boolean narrowed(DataType t) {
        return config.float16() && t == DataType.FLOAT32;
    }

    private Stored store(AdaptedOutput o) {
        List<Slot> logits = new ArrayList<>();
        o.logits().forEach(a -> logits.add(slot(a)));
        List<Slot> masks = new ArrayList<>();
        o.logitsMask().forEach(a -> masks.add(slot(a)));
        Map<String, List<Slot>> features = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<NDArray>> e : o.features().entrySet()) {
            Set<Integer> used = usedFeatures.getOrDefault(e.getKey(), Set.of());
            if (used.isEmpty()) {
                continue;
            }
            List<Slot> values = new ArrayList<>(e.getValue().size());
            for (int i = 0; i < e.getValue().size(); i++) {
                NDArray a = e.getValue().get(i);
                values.add(a == null || !used.contains(i) ? null : slot(a));
            }
            features.put(e.getKey(), values);
        }
        return new Stored(logits, masks, features);
    }

    /** Stores one array: narrowed to float16 if configured, as heap bytes or appended to the file. */
    private Slot slot(NDArray a) {
        DataType original = a.getDataType();
        boolean narrow = narrowed(original);
        try (NDManager tmp = manager.newSubManager()) {
            NDArray stored = narrow ? a.clip(-HALF_MAX, HALF_MAX).toType(DataType.FLOAT16, false) : a.duplicate();
            stored.attach(tmp);
            ByteBuffer data = stored.toByteBuffer(true);
            if (config.directory() == null) {
                // on the Java heap rather than in native memory: long-lived cache blocks scattered among each step's
                // short-lived tensors would fragment the native allocator's arenas
                byte[] copy = new byte[data.remaining()];
                data.get(copy);
                return new Slot(original, stored.getDataType(), stored.getShape(), copy, -1);
            }
            long offset = append(data);
            return new Slot(original, stored.getDataType(), stored.getShape(), null, offset);
        }
    }

    private long append(ByteBuffer data) {
        try {
            if (file == null) {
                Files.createDirectories(config.directory());
                filePath = Files.createTempFile(config.directory(), "teacher-cache-", ".bin");
                file = FileChannel.open(filePath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            long offset = fileEnd;
            long pos = offset;
            while (data.hasRemaining()) {
                pos += file.write(data, pos);
            }
            fileEnd = pos;
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("teacher cache: cannot write " + (filePath != null ? filePath
                    : config.directory()) + ": " + e.getMessage(), e);
        }
    }

    /** Where one array is kept and how to bring it back. */
    private final class Slot {
        private final DataType original;
        private final DataType storedType;
        private final Shape shape;
        private final byte[] inMemory;
        private final long offset;

        Slot(DataType original, DataType storedType, Shape shape, byte[] inMemory, long offset) {
            this.original = original;
            this.storedType = storedType;
            this.shape = shape;
            this.inMemory = inMemory;
            this.offset = offset;
        }

        /** A float32 (or original-type) copy in the step's manager. */
        NDArray read(NDManager step) {
            NDArray raw = step.create(shape, storedType);
            ByteBuffer view = raw.toByteBuffer(true).order(ByteOrder.nativeOrder());
            if (inMemory != null) {
                view.put(inMemory);
            } else {
                try {
                    long pos = offset;
                    while (view.hasRemaining()) {
                        int n = file.read(view, pos);
                        if (n < 0) {
                            throw new IOException("unexpected end of file at byte " + pos);
                        }
                        pos += n;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("teacher cache: cannot read " + filePath + ": " + e.getMessage(),
                            e);
                }
            }
            if (storedType == original) {
                return raw;
            }
            try (NDArray half = raw) {
                NDArray wide = half.toType(original, false);
                wide.attach(step);
                // clamped values of -65504 go back to float32's lowest: -65504 + lowest rounds to lowest exactly,
                // and every other element gets + (-0.0), which changes nothing
                try (NDArray low = wide.lte(-HALF_MAX); NDArray shift = low.toType(original, false)) {
                    wide.addi(shift.muli(MASK_VALUE));
                }
                return wide;
            }
        }
    }

    /** One cached adapted output. */
    private record Stored(List<Slot> logits, List<Slot> masks, Map<String, List<Slot>> features) {
        AdaptedOutput read(NDManager step) {
            AdaptedOutput.Builder b = AdaptedOutput.builder();
            logits.forEach(s -> b.addLogits(s.read(step)));
            masks.forEach(s -> b.addLogitsMask(s.read(step)));
            for (Map.Entry<String, List<Slot>> e : features.entrySet()) {
                List<NDArray> values = new ArrayList<>(e.getValue().size());
                for (Slot s : e.getValue()) {
                    values.add(s == null ? null : s.read(step));
                }
                b.feature(e.getKey(), values);
            }
            return b.build();
        }
    }

    @Override
    public void close() {
        entries.clear();
        skipped.clear();
        manager.close();
        if (file != null) {
            try {
                file.close();
                Files.deleteIfExists(filePath);
            } catch (IOException e) {
                LOG.warn("Could not delete the teacher cache file {}: {}", filePath, e.toString());
            }
            file = null;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TeacherCache[%d batches, %d bytes, %s]", entries.size(), bytes,
                config.describe());
    }
}
