package ai.distill4j.distill.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the payload of a checkpoint (weights, optimizer state, config, ...) into a folder.
 *
 * <p>The folder is a fresh temporary one; the {@link CheckpointStore} syncs, lists and renames whatever the writer
 * leaves there, so the writer just writes plain files (subfolders allowed) and returns. It must not create
 * {@code state.json} or {@code COMPLETE}, which the store writes. If it throws, the partial folder is deleted and the
 * previous checkpoints stay as they were.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CheckpointContent {

    /**
     * Writes the files of the checkpoint.
     *
     * @param dir an empty folder that becomes the checkpoint folder once the store has synced it
     * @throws IOException if writing fails (the save is then abandoned)
     */
    void writeTo(Path dir) throws IOException;
}
