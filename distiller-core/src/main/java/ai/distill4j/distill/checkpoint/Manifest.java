package ai.distill4j.distill.checkpoint;

import ai.distill4j.distill.internal.JsonText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code COMPLETE} file of a checkpoint: its step and every file it holds with size and CRC-32C. Its presence
 * marks the checkpoint complete.
 */
record Manifest(long step, String writtenAt, List<Entry> files) {

    static final int FORMAT = 1;

    /** One file of a checkpoint; {@code path} is relative to the checkpoint folder, with {@code /} separators. */
    record Entry(String path, long size, int crc32c) {}

    Manifest {
        files = Collections.unmodifiableList(new ArrayList<>(files));
    }

    static Manifest of(long step, List<Entry> files) {
        return new Manifest(step, Instant.now().toString(), files);
    }

    String toJson() {
        List<Object> list = new ArrayList<>();
        for (Entry e : files) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", e.path());
            f.put("size", e.size());
            f.put("crc32c", String.format("%08x", e.crc32c()));
            list.add(f);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("step", step);
        json.put("written_at", writtenAt);
        json.put("files", list);
        return JsonText.write(json) + "\n";
    }

    static Manifest fromJson(String text) {
        Map<String, Object> o = JsonText.parseObject(text);
        if (!(o.get("format") instanceof Long format) || format > FORMAT) {
            throw new IllegalArgumentException("unsupported manifest format " + o.get("format"));
        }
        if (!(o.get("step") instanceof Long step)) {
            throw new IllegalArgumentException("manifest field 'step' must be an integer, got " + o.get("step"));
        }
        if (!(o.get("files") instanceof List<?> list)) {
            throw new IllegalArgumentException("manifest field 'files' must be a list");
        }
        List<Entry> files = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> f) || !(f.get("path") instanceof String path)
                    || !(f.get("size") instanceof Long size) || !(f.get("crc32c") instanceof String crc)) {
                throw new IllegalArgumentException("malformed manifest entry " + item);
            }
            if (path.isEmpty() || path.startsWith("/") || path.contains("\\")
                    || java.util.Arrays.asList(path.split("/")).contains("..")) {
                throw new IllegalArgumentException("manifest path escapes the checkpoint: " + path);
            }
            files.add(new Entry(path, size, Integer.parseUnsignedInt(crc, 16)));
        }
        Object writtenAt = o.get("written_at");
        return new Manifest(step, writtenAt instanceof String s ? s : "", files);
    }
}
