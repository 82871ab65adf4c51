package ai.distill4j.distill.log;

import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.distill.internal.JsonText;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A JSON-lines file that is appended one whole line per write call and can be cut back atomically.
 *
 * <p>Each line goes to the operating system in a single write, so a killed process keeps every line it wrote. A
 * trailing line without its line break (a write torn by a power loss) is not a row: readers ignore it and opening
 * for appending removes it first.
 */
final class JsonLinesFile implements Closeable {

    private final Path file;
    private FileChannel channel;

    private JsonLinesFile(Path file) {
        this.file = file;
    }

    /** Opens a file for appending, creating it (and its folder) if needed; replaces it when {@code fresh}. */
    static JsonLinesFile open(Path file, boolean fresh) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        removeStaleTemporaries(absolute);
        JsonLinesFile lines = new JsonLinesFile(absolute);
        if (fresh) {
            DurableFiles.replace(absolute, new byte[0]);
        } else if (Files.exists(absolute)) {
            lines.dropTornTail();
        }
        lines.channel = openChannel(absolute);
        return lines;
    }

    Path file() {
        return file;
    }

    /** Appends one line (a line break is added) and hands it to the operating system. */
    synchronized void append(String json) throws IOException {
        if (channel == null) {
            throw new IllegalStateException("the log " + file + " is closed");
        }
        ByteBuffer bytes = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Rewrites the file atomically, keeping the rows (parsed objects) the predicate accepts, and continues appending
     * to the new file.
     *
     * @return the number of rows dropped
     */
    synchronized int retain(Predicate<Map<String, Object>> keep) throws IOException {
        if (channel == null) {
            throw new IllegalStateException("the log " + file + " is closed");
        }
        List<String> lines = completeLines(file);
        StringBuilder kept = new StringBuilder();
        int dropped = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (keep.test(parse(line, i + 1))) {
                kept.append(line).append('\n');
            } else {
                dropped++;
            }
        }
        channel.close();
        channel = null;
        try {
            DurableFiles.replace(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        } finally {
            channel = openChannel(file);
        }
        return dropped;
    }

    /** Forces the written rows to the storage device. */
    synchronized void sync() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            try {
                channel.force(true);
            } finally {
                channel.close();
                channel = null;
            }
        }
    }

    /**
     * Reads every complete row and converts it; a torn last line is ignored, a malformed complete line or a row the
     * conversion rejects (with an IllegalArgumentException) is an error naming the file and the line.
     */
    static <R> List<R> readRows(Path file, Function<Map<String, Object>, R> toRow) throws IOException {
        List<String> lines = completeLines(file);
        List<R> rows = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> row = parse(lines.get(i), i + 1);
            try {
                rows.add(toRow.apply(row));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    /**
     * Opens a file to continue it (see {@link #open} with {@code fresh} false) and reads its rows back.
     *
     * @return the open file and its last row, {@code null} when it has none
     */
    static <R> Reopened<R> reopen(Path file, Function<Map<String, Object>, R> toRow) throws IOException {
        JsonLinesFile lines = open(file, false);
        try {
            List<R> rows = readRows(lines.file(), toRow);
            return new Reopened<>(lines, rows.isEmpty() ? null : rows.get(rows.size() - 1));
        } catch (IOException | RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    /** A file opened by {@link #reopen} and the last row it held ({@code null} when none). */
    record Reopened<R>(JsonLinesFile lines, R lastRow) {}

    private static Map<String, Object> parse(String line, int lineNumber) throws IOException {
        try {
            return JsonText.parseObject(line);
        } catch (IllegalArgumentException e) {
            throw new IOException("line " + lineNumber + " is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static List<String> completeLines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        List<String> lines = new ArrayList<>();
        if (end < 0) {
            return lines;
        }
        for (String line : text.substring(0, end).split("\n", -1)) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private void dropTornTail() throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            if (last.get(0) == '\n') {
                return;
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        int keep = bytes.length;
        while (keep > 0 && bytes[keep - 1] != '\n') {
            keep--;
        }
        byte[] kept = new byte[keep];
        System.arraycopy(bytes, 0, kept, 0, keep);
        DurableFiles.replace(file, kept);
    }

    private static FileChannel openChannel(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static void removeStaleTemporaries(Path file) throws IOException {
        String prefix = DurableFiles.TEMP_PREFIX + file.getFileName() + "-";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.getParent(), prefix + "*")) {
            for (Path stale : siblings) {
                Files.deleteIfExists(stale);
            }
        }
    }
}
