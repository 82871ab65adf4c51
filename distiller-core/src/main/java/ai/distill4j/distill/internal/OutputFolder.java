package ai.distill4j.distill.internal;

import ai.distill4j.ValidationException;
import ai.distill4j.distill.checkpoint.CheckpointStore;
import ai.distill4j.distill.log.MetricsLog;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Checks, before anything is written, that a run's output folder can take the run: it is (or can be created as) a
 * writable folder, and it does not hold another run's checkpoints or {@code metrics.jsonl} unless the run resumes.
 * The check leaves the file system as it found it: folders it had to create to probe are removed again.
 *
 * @since 0.1.0
 */
public final class OutputFolder {

    private OutputFolder() {}

    /**
     * Checks an output folder.
     *
     * @param dir the folder ({@code training_config.output_dir})
     * @param field the field that named it, for messages
     * @param resume whether the run continues the one already in the folder
     * @throws ValidationException naming the field, the folder and the problem: not a folder, not writable, or
     *     (without {@code resume}) already holding checkpoints or a {@code metrics.jsonl}
     */
    public static void check(Path dir, String field, boolean resume) {
        Path abs = dir.toAbsolutePath().normalize();
        String where = field + " = '" + dir + "': ";
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(abs)) {
            throw new ValidationException(where + "exists and is not a folder");
        }
        probeWritable(abs, where);
        if (resume) {
            return;
        }
        List<String> found = new ArrayList<>();
        Path checkpoints = abs.resolve(CheckpointStore.DIRECTORY);
        if (Files.isDirectory(checkpoints)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(checkpoints, "step-*")) {
                for (Path p : s) {
                    found.add(CheckpointStore.DIRECTORY + "/" + p.getFileName());
                }
            } catch (IOException e) {
                throw new ValidationException(where + "cannot list " + checkpoints + ": " + e.getMessage(), e);
            }
        }
        Path metrics = abs.resolve(MetricsLog.FILE_NAME);
        try {
            if (Files.isRegularFile(metrics) && Files.size(metrics) > 0) {
                found.add(MetricsLog.FILE_NAME);
            }
        } catch (IOException e) {
            throw new ValidationException(where + "cannot read " + metrics + ": " + e.getMessage(), e);
        }
        if (!found.isEmpty()) {
            java.util.Collections.sort(found);
            throw new ValidationException(where + "already holds another run (" + String.join(", ",
                    found.size() > 3 ? found.subList(found.size() - 3, found.size()) : found)
                    + "); continue it with --resume (optResume(true)) or choose an empty output_dir");
        }
    }

    /** Creates the folder (and any missing parents) and a file in it, then removes what the probe created. */
    private static void probeWritable(Path dir, String where) {
        List<Path> created = new ArrayList<>();
        Path missing = dir;
        while (missing != null && !Files.exists(missing, LinkOption.NOFOLLOW_LINKS)) {
            created.add(0, missing);
            missing = missing.getParent();
        }
        if (missing != null && !Files.isDirectory(missing)) {
            throw new ValidationException(where + "cannot be created: " + missing + " is a file, not a folder");
        }
        Path probe = null;
        try {
            for (Path p : created) {
                Files.createDirectory(p);
            }
            probe = dir.resolve(".distill4j-write-probe-" + UUID.randomUUID());
            Files.write(probe, new byte[] {0});
        } catch (IOException | SecurityException e) {
            throw new ValidationException(where + "not writable (" + describe(e) + ")", e);
        } finally {
            try {
                if (probe != null) {
                    Files.deleteIfExists(probe);
                }
                for (int i = created.size() - 1; i >= 0; i--) {
                    Files.deleteIfExists(created.get(i));
                }
            } catch (IOException e) {
                // leaving an empty folder behind is harmless
            }
        }
    }

    private static String describe(Exception e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return (kind.isEmpty() ? "" : kind + ": ") + e.getMessage();
    }
}
