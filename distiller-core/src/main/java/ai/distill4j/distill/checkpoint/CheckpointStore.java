package ai.distill4j.distill.checkpoint;

import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.distill.internal.JsonText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of a run, kept as folders {@code <output_dir>/checkpoints/step-<N>/} and saved atomically.
 *
 * <p><b>Saving.</b> {@link #save} creates {@code checkpoints/.tmp-step-<N>-<uuid>/}, lets the caller's
 * {@link CheckpointContent} write its files there, adds {@code state.json} (the {@link TrainingState}), fsyncs every
 * file and folder, writes the {@code COMPLETE} manifest (every file with its size and CRC-32C) and fsyncs it, renames
 * the folder to {@code step-<N>} and fsyncs {@code checkpoints/}; only then does it replace the {@code latest}
 * pointer file atomically (temporary file, fsync, atomic rename). If anything fails before the rename, the temporary
 * folder is deleted, an {@link IOException} naming the path is thrown, and every earlier checkpoint and the
 * {@code latest} pointer are untouched. A crash leaves at worst a {@code .tmp-*} entry, which the next
 * {@link #open}/{@link Builder#build()} deletes.
 *
 * <p><b>Reading.</b> A folder counts as a checkpoint only when its {@code COMPLETE} manifest exists, parses, names the
 * folder's step, and every file it lists exists with the listed size ({@link #listComplete()}). {@link #latest()} is
 * the complete checkpoint with the highest step; the {@code latest} pointer is kept for people and tools and is
 * repaired on open if a crash left it behind. {@link #open(long)} also verifies every checksum.
 *
 * <p><b>Retention.</b> With {@link Builder#optKeepLast(int)} only the newest N complete checkpoints are kept, plus
 * the best one by the metric of {@link Builder#optBestMetric}, which is never deleted. {@link #markBest} records a
 * metric value for a checkpoint; the best so far is stored in the {@code best} file (atomically replaced) and survives
 * restarts. Folders that are not complete checkpoints are never deleted by retention.
 *
 * <p>One process should own a store at a time; its methods are thread-safe within that process.
 *
 * @since 0.1.0
 */
public final class CheckpointStore {

    /** The folder, inside the output folder, that holds the checkpoints. */
    public static final String DIRECTORY = "checkpoints";
    /** The manifest that marks a checkpoint complete. */
    public static final String COMPLETE = "COMPLETE";
    /** The file holding the {@link TrainingState}. */
    public static final String STATE = "state.json";
    /** The pointer file naming the newest checkpoint folder. */
    public static final String LATEST = "latest";
    /** The file recording the best checkpoint: step, metric, mode and value. */
    public static final String BEST = "best";

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{1,18})");

    private final Path directory;
    private final int keepLast;
    private final String bestMetric;
    private final MetricMode bestMode;

    private CheckpointStore(Builder b) {
        this.directory = b.outputDir.resolve(DIRECTORY).toAbsolutePath();
        this.keepLast = b.keepLast;
        this.bestMetric = b.bestMetric;
        this.bestMode = b.bestMode;
    }

    /**
     * Opens the store of an output folder with the defaults: keep every checkpoint, no best metric.
     *
     * @param outputDir the run's output folder (TextBrewer's {@code output_dir})
     * @return the store, its folder created and crash leftovers removed
     * @throws IOException if the folder cannot be created or cleaned
     */
    public static CheckpointStore open(Path outputDir) throws IOException {
        return builder(outputDir).build();
    }

    /**
     * Returns a builder for the store of an output folder.
     *
     * @param outputDir the run's output folder
     * @return a new builder
     */
    public static Builder builder(Path outputDir) {
        return new Builder(Objects.requireNonNull(outputDir, "outputDir"));
    }

    /**
     * Returns the folder holding the checkpoints.
     *
     * @return {@code <output_dir>/checkpoints}, absolute
     */
    public Path directory() {
        return directory;
    }

    /**
     * Saves a checkpoint named after {@code state.globalStep()}, atomically (see the class documentation), then
     * applies retention.
     *
     * @param state the run position, written as {@code state.json}
     * @param content writes the checkpoint's files into the folder it is given
     * @return the saved checkpoint
     * @throws IOException if writing, syncing or renaming fails (disk full, permissions, ...); the message names the
     *     path and earlier checkpoints are intact
     * @throws IllegalStateException if a complete checkpoint with a higher step exists (a fresh run in an old output
     *     folder), or the content wrote {@code state.json} or {@code COMPLETE} itself
     */
    public synchronized Checkpoint save(TrainingState state, CheckpointContent content) throws IOException {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(content, "content");
        long step = state.globalStep();
        List<Checkpoint> existing = listComplete();
        if (!existing.isEmpty() && existing.get(existing.size() - 1).step() > step) {
            throw new IllegalStateException("cannot save step-" + step + " in " + directory + ": it already holds "
                    + "the later checkpoint step-" + existing.get(existing.size() - 1).step()
                    + "; resume from it or use an empty output folder");
        }
        String name = stepName(step);
        Path target = directory.resolve(name);
        Path temp = directory.resolve(DurableFiles.TEMP_PREFIX + name + "-" + UUID.randomUUID());
        Manifest manifest;
        try {
            Files.createDirectory(temp);
            content.writeTo(temp);
            for (String reserved : List.of(STATE, COMPLETE)) {
                if (Files.exists(temp.resolve(reserved), LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalStateException("the checkpoint content wrote '" + reserved
                            + "', a name the checkpoint store reserves for itself");
                }
            }
            Files.writeString(temp.resolve(STATE), state.toJson() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            manifest = Manifest.of(step, syncAndList(temp));
            writeAndSync(temp.resolve(COMPLETE), manifest.toJson().getBytes(StandardCharsets.UTF_8));
            DurableFiles.syncDirectory(temp);
        } catch (IOException e) {
            discard(temp, e);
            throw new IOException("Could not save checkpoint " + name + " into " + temp + " (earlier checkpoints in "
                    + directory + " are intact): " + e, e);
        } catch (RuntimeException | Error e) {
            discard(temp, e);
            throw e;
        }

        Path replaced = null;
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                replaced = directory.resolve(DurableFiles.TEMP_PREFIX + "replaced-" + name + "-" + UUID.randomUUID());
                Files.move(target, replaced);
            }
            DurableFiles.move(temp, target);
            DurableFiles.syncDirectory(directory);
        } catch (IOException e) {
            discard(temp, e);
            if (replaced != null && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.move(replaced, target);
                } catch (IOException restore) {
                    e.addSuppressed(restore);
                }
            }
            throw new IOException("Could not move checkpoint " + temp + " to " + target + ": " + e, e);
        }
        if (replaced != null) {
            DurableFiles.deleteRecursively(replaced);
        }
        writeLatestPointer(name);
        Checkpoint saved = new Checkpoint(target, manifest, state);
        applyRetention();
        return saved;
    }

    /**
     * Lists the complete checkpoints, oldest first. Folders without a valid manifest, or whose files do not match it
     * in size, are skipped (and logged).
     *
     * @return the complete checkpoints by ascending step
     * @throws IOException if the folder cannot be listed
     */
    public synchronized List<Checkpoint> listComplete() throws IOException {
        List<Checkpoint> complete = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path dir : entries) {
                Matcher m = STEP_DIR.matcher(dir.getFileName().toString());
                if (m.matches() && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Checkpoint c = readComplete(dir, Long.parseLong(m.group(1)));
                    if (c != null) {
                        complete.add(c);
                    }
                }
            }
        }
        complete.sort(Comparator.comparingLong(Checkpoint::step));
        return complete;
    }

    /**
     * Returns the checkpoint to resume from: the complete one with the highest step.
     *
     * @return that checkpoint, or empty when there is none
     * @throws IOException if the folder cannot be listed
     */
    public synchronized Optional<Checkpoint> latest() throws IOException {
        List<Checkpoint> complete = listComplete();
        return complete.isEmpty() ? Optional.empty() : Optional.of(complete.get(complete.size() - 1));
    }

    /**
     * Returns the best checkpoint recorded by {@link #markBest} for this store's metric and mode.
     *
     * @return the best complete checkpoint, or empty when none was marked (or it is gone)
     * @throws IOException if the folder or the {@code best} file cannot be read
     */
    public synchronized Optional<Checkpoint> best() throws IOException {
        BestRecord record = readBest();
        if (record == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(readComplete(directory.resolve(stepName(record.step)), record.step));
    }

    /**
     * Returns the metric value of the best checkpoint.
     *
     * @return the value, or empty when no best checkpoint is recorded
     * @throws IOException if the {@code best} file cannot be read
     */
    public synchronized OptionalDouble bestValue() throws IOException {
        BestRecord record = readBest();
        return record == null || best().isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(record.value);
    }

    /**
     * Records the metric value of a saved checkpoint; if it beats the best so far (strictly; NaN never does), that
     * checkpoint becomes the best, which retention never deletes. Applies retention afterwards.
     *
     * @param step the step of a complete checkpoint
     * @param metricValue its value of the store's metric
     * @return true if it became the best checkpoint
     * @throws IOException if the {@code best} file cannot be replaced
     * @throws IllegalStateException if the store has no best metric ({@link Builder#optBestMetric})
     * @throws IllegalArgumentException if there is no complete checkpoint at that step
     */
    public synchronized boolean markBest(long step, double metricValue) throws IOException {
        if (bestMetric == null) {
            throw new IllegalStateException("markBest needs a metric: build the store with optBestMetric(name, mode)");
        }
        if (readComplete(directory.resolve(stepName(step)), step) == null) {
            throw new IllegalArgumentException("there is no complete checkpoint " + stepName(step) + " in "
                    + directory);
        }
        BestRecord current = readBest();
        if (current != null && readComplete(directory.resolve(stepName(current.step)), current.step) == null) {
            current = null; // its folder is gone
        }
        boolean better = current == null ? !Double.isNaN(metricValue) : bestMode.isBetter(metricValue, current.value);
        if (better) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("step", step);
            json.put("metric", bestMetric);
            json.put("mode", bestMode.toString());
            json.put("value", metricValue);
            DurableFiles.replace(directory.resolve(BEST),
                    (JsonText.write(json) + "\n").getBytes(StandardCharsets.UTF_8));
            applyRetention();
        }
        return better;
    }

    /**
     * Opens a complete checkpoint and verifies every file's size and checksum against its manifest.
     *
     * @param step the checkpoint's step
     * @return the verified checkpoint
     * @throws IOException if there is no complete checkpoint at that step or a file does not match the manifest; the
     *     message names the file
     */
    public synchronized Checkpoint open(long step) throws IOException {
        Path dir = directory.resolve(stepName(step));
        Checkpoint c = readComplete(dir, step);
        if (c == null) {
            throw new IOException("there is no complete checkpoint at " + dir + " (missing or without a valid "
                    + COMPLETE + " manifest)");
        }
        c.verifyChecksums();
        return c;
    }

    // ------------------------------------------------------------------------------------------------------------

    private static String stepName(long step) {
        return "step-" + step;
    }

    private Checkpoint readComplete(Path dir, long step) {
        Path manifestFile = dir.resolve(COMPLETE);
        try {
            if (!Files.isRegularFile(manifestFile)) {
                LOG.debug("Ignoring {}: no {} manifest", dir, COMPLETE);
                return null;
            }
            Manifest manifest = Manifest.fromJson(Files.readString(manifestFile, StandardCharsets.UTF_8));
            if (manifest.step() != step) {
                LOG.warn("Ignoring {}: its manifest is for step {}", dir, manifest.step());
                return null;
            }
            boolean hasState = false;
            for (Manifest.Entry e : manifest.files()) {
                Path file = dir.resolve(e.path());
                if (!Files.isRegularFile(file) || Files.size(file) != e.size()) {
                    LOG.warn("Ignoring {}: {} is missing or not {} bytes", dir, e.path(), e.size());
                    return null;
                }
                hasState |= e.path().equals(STATE);
            }
            if (!hasState) {
                LOG.warn("Ignoring {}: its manifest lists no {}", dir, STATE);
                return null;
            }
            TrainingState state = TrainingState.fromJson(Files.readString(dir.resolve(STATE), StandardCharsets.UTF_8));
            if (state.globalStep() != step) {
                LOG.warn("Ignoring {}: its state is for step {}", dir, state.globalStep());
                return null;
            }
            return new Checkpoint(dir, manifest, state);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring {}: {}", dir, e.toString());
            return null;
        }
    }

    /** Fsyncs every file and folder below {@code root} and lists the files with size and CRC-32C, sorted. */
    private static List<Manifest.Entry> syncAndList(Path root) throws IOException {
        List<Manifest.Entry> entries = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isDirectory()) {
                    dirs.add(p);
                } else if (attrs.isRegularFile()) {
                    String relative = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                    entries.add(syncAndDescribe(p, relative));
                } else {
                    throw new IOException("checkpoint content must be regular files and folders, found " + p);
                }
            }
        }
        for (Path d : dirs) {
            DurableFiles.syncDirectory(d);
        }
        entries.sort(Comparator.comparing(Manifest.Entry::path));
        return entries;
    }

    private static Manifest.Entry syncAndDescribe(Path file, String relative) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            while (channel.read(buffer) > 0) {
                buffer.flip();
                size += buffer.remaining();
                crc.update(buffer);
                buffer.clear();
            }
            channel.force(true);
        }
        return new Manifest.Entry(relative, size, (int) crc.getValue());
    }

    private static void writeAndSync(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void discard(Path temp, Throwable failure) {
        try {
            DurableFiles.deleteRecursively(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private void writeLatestPointer(String name) throws IOException {
        DurableFiles.replace(directory.resolve(LATEST), (name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void applyRetention() throws IOException {
        if (keepLast == Integer.MAX_VALUE) {
            return;
        }
        List<Checkpoint> complete = listComplete();
        Set<Long> keep = new HashSet<>();
        for (int i = Math.max(0, complete.size() - keepLast); i < complete.size(); i++) {
            keep.add(complete.get(i).step());
        }
        BestRecord best = readBest();
        if (best != null) {
            keep.add(best.step);
        }
        for (Checkpoint c : complete) {
            if (!keep.contains(c.step())) {
                Path doomed = directory.resolve(DurableFiles.TEMP_PREFIX + "delete-" + stepName(c.step()) + "-"
                        + UUID.randomUUID());
                Files.move(c.directory(), doomed);
                DurableFiles.deleteRecursively(doomed);
                LOG.debug("Deleted checkpoint {} (keeping the last {} and the best)", c.directory(), keepLast);
            }
        }
        DurableFiles.syncDirectory(directory);
    }

    private record BestRecord(long step, double value) {}

    private BestRecord readBest() throws IOException {
        Path file = directory.resolve(BEST);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            Map<String, Object> o = JsonText.parseObject(text);
            if (bestMetric != null && (!bestMetric.equals(o.get("metric"))
                    || !bestMode.toString().equals(o.get("mode")))) {
                LOG.warn("Ignoring {}: it ranks by {} ({}), this run by {} ({})", file, o.get("metric"), o.get("mode"),
                        bestMetric, bestMode);
                return null;
            }
            if (!(o.get("step") instanceof Long step) || !(o.get("value") instanceof Number value)) {
                throw new IllegalArgumentException("needs an integer 'step' and a number 'value'");
            }
            return new BestRecord(step, value.doubleValue());
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring malformed {}: {}", file, e.getMessage());
            return null;
        }
    }

    private void cleanLeftovers() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, DurableFiles.TEMP_PREFIX + "*")) {
            for (Path leftover : entries) {
                LOG.info("Removing {}, left by an interrupted checkpoint write", leftover);
                DurableFiles.deleteRecursively(leftover);
            }
        }
    }

    private void repairLatestPointer() throws IOException {
        Optional<Checkpoint> latest = latest();
        Path pointer = directory.resolve(LATEST);
        if (latest.isEmpty()) {
            return;
        }
        String name = latest.get().directory().getFileName().toString();
        String current = Files.exists(pointer) ? Files.readString(pointer, StandardCharsets.UTF_8).trim() : null;
        if (!name.equals(current)) {
            LOG.info("Pointing {} at {} (was {})", pointer, name, current);
            writeLatestPointer(name);
        }
    }

    /**
     * Builds a {@link CheckpointStore}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Path outputDir;
        private int keepLast = Integer.MAX_VALUE;
        private String bestMetric;
        private MetricMode bestMode;

        private Builder(Path outputDir) {
            this.outputDir = outputDir;
        }

        /**
         * Keeps only the newest {@code n} complete checkpoints (plus the best); by default every checkpoint is kept.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder optKeepLast(int n) {
            this.keepLast = n;
            return this;
        }

        /**
         * Names the metric that ranks checkpoints for {@link CheckpointStore#markBest} and whether smaller or larger
         * is better.
         *
         * @param metric the metric's name, e.g. {@code accuracy}
         * @param mode {@link MetricMode#MAX} for accuracy-like metrics, {@link MetricMode#MIN} for losses
         * @return this builder
         */
        public Builder optBestMetric(String metric, MetricMode mode) {
            this.bestMetric = metric;
            this.bestMode = mode;
            return this;
        }

        /**
         * Creates the folder if needed, removes leftovers of interrupted writes ({@code .tmp-*}) and repairs the
         * {@code latest} pointer.
         *
         * @return the store
         * @throws IOException if the folder cannot be created or cleaned
         * @throws IllegalArgumentException if a setting is invalid; the message names it
         */
        public CheckpointStore build() throws IOException {
            if (keepLast < 1) {
                throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
            }
            if (bestMetric != null && bestMetric.isBlank() || bestMetric == null && bestMode != null) {
                throw new IllegalArgumentException("bestMetric must be a non-blank name, got '" + bestMetric + "'");
            }
            if (bestMetric != null && bestMode == null) {
                throw new IllegalArgumentException("bestMode must be MIN or MAX for metric '" + bestMetric + "'");
            }
            CheckpointStore store = new CheckpointStore(this);
            Files.createDirectories(store.directory);
            store.cleanLeftovers();
            store.repairLatestPointer();
            return store;
        }
    }
}
