package ai.distill4j.distill.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A complete checkpoint on disk: {@code <output_dir>/checkpoints/step-<N>/} with the caller's files,
 * {@code state.json} and the {@code COMPLETE} manifest. Obtained from a {@link CheckpointStore}; immutable.
 *
 * @since 0.1.0
 */
public final class Checkpoint {

    private final Path directory;
    private final Manifest manifest;
    private final TrainingState state;

    Checkpoint(Path directory, Manifest manifest, TrainingState state) {
        this.directory = directory;
        this.manifest = manifest;
        this.state = state;
    }

    /**
     * Returns the global step the checkpoint was taken at.
     *
     * @return the step in its folder name
     */
    public long step() {
        return manifest.step();
    }

    /**
     * Returns the checkpoint folder.
     *
     * @return {@code <output_dir>/checkpoints/step-<N>}
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the run position stored in {@code state.json}.
     *
     * @return the state
     */
    public TrainingState state() {
        return state;
    }

    /**
     * Lists the files of the checkpoint with their sizes, as recorded in the manifest ({@code state.json} included,
     * {@code COMPLETE} not).
     *
     * @return sizes in bytes by path relative to the folder ({@code /}-separated), sorted by path
     */
    public Map<String, Long> files() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Manifest.Entry e : manifest.files()) {
            sizes.put(e.path(), e.size());
        }
        return Collections.unmodifiableMap(sizes);
    }

    /**
     * Resolves a file of the checkpoint.
     *
     * @param relativePath a path listed in {@link #files()}
     * @return its absolute location
     * @throws IllegalArgumentException if the checkpoint has no such file
     */
    public Path file(String relativePath) {
        for (Manifest.Entry e : manifest.files()) {
            if (e.path().equals(relativePath)) {
                return directory.resolve(relativePath);
            }
        }
        throw new IllegalArgumentException("checkpoint " + directory + " has no file '" + relativePath
                + "'; it has " + files().keySet());
    }

    /**
     * Reads every file and compares its size and CRC-32C with the manifest.
     *
     * @throws IOException naming the first file that is missing, has another size or another checksum
     */
    public void verifyChecksums() throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (Manifest.Entry e : manifest.files()) {
            Path file = directory.resolve(e.path());
            long size = Files.size(file);
            if (size != e.size()) {
                throw new IOException("checkpoint file " + file + " has " + size + " bytes, the manifest says "
                        + e.size());
            }
            CRC32C crc = new CRC32C();
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    crc.update(buffer, 0, n);
                }
            }
            if ((int) crc.getValue() != e.crc32c()) {
                throw new IOException("checkpoint file " + file + " is corrupt: CRC-32C "
                        + String.format("%08x", (int) crc.getValue()) + ", the manifest says "
                        + String.format("%08x", e.crc32c()));
            }
        }
    }

    @Override
    public String toString() {
        return "Checkpoint[" + directory + "]";
    }
}
