package ai.distill4j.distill.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.UUID;

/**
 * File operations that survive a crash: fsync of files and directories, atomic replacement of a file, and
 * recursive deletion.
 *
 * <p>An atomic replacement writes a temporary sibling named {@code .tmp-<name>-<uuid>}, fsyncs it, renames it over
 * the target with {@link StandardCopyOption#ATOMIC_MOVE} and fsyncs the directory. A reader therefore sees either the
 * old content or the new, never a mix; after a crash the target holds one of the two, and a leftover
 * {@code .tmp-*} sibling may remain (the owners of such folders delete them when they next open them).
 *
 * @since 0.1.0
 */
public final class DurableFiles {

    /** The prefix of every temporary name this class (and the checkpoint store) creates. */
    public static final String TEMP_PREFIX = ".tmp-";

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private DurableFiles() {}

    /**
     * Writes the content of a stream-producing action into a file, atomically replacing what was there.
     *
     * @param target the file to create or replace
     * @param writer writes the new content; the stream is closed afterwards
     * @throws IOException if writing, syncing or renaming fails; the target is then unchanged and the temporary file
     *     is removed
     */
    public static void replace(Path target, StreamWriter writer) throws IOException {
        Path dir = parentOf(target);
        Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            move(temp, target);
            syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Atomically replaces a file with the given bytes.
     *
     * @param target the file to create or replace
     * @param content the new content
     * @throws IOException if writing, syncing or renaming fails; the target is then unchanged
     */
    public static void replace(Path target, byte[] content) throws IOException {
        replace(target, out -> out.write(content));
    }

    /**
     * Renames a file or folder atomically, replacing an existing file at the destination.
     *
     * @param source the file or folder to move
     * @param target its new name, in the same file system
     * @throws IOException if the file system cannot rename atomically or the rename fails
     */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system of " + target + " cannot rename atomically (" + e.getMessage()
                    + "); checkpoints and logs need a local file system", e);
        }
    }

    /**
     * Flushes a file's content and metadata to the storage device.
     *
     * @param file a regular file
     * @throws IOException if the file cannot be opened or synced
     */
    public static void syncFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Flushes a directory's entries (creations, renames, deletions) to the storage device. A no-op on Windows, where
     * directories cannot be opened for syncing.
     *
     * @param dir the directory
     * @throws IOException if the directory cannot be opened or synced
     */
    public static void syncDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Deletes a file or a folder with everything in it; a missing path is not an error.
     *
     * @param path the file or folder
     * @throws IOException if something cannot be deleted
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                delete(dir);
                return FileVisitResult.CONTINUE;
            }

            private void delete(Path p) throws IOException {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
            }
        });
    }

    private static Path parentOf(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null) {
            throw new IllegalArgumentException("target " + target + " has no parent folder");
        }
        return dir;
    }

    /**
     * Writes content into a stream; the checked-exception counterpart of a consumer.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface StreamWriter {
        /**
         * Writes the content.
         *
         * @param out the stream to write into (do not close it)
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }
}
