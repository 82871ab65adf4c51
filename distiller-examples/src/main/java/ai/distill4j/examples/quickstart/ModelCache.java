package ai.distill4j.examples.quickstart;

import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.onnx.BertOnnxImporter;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.distill4j.model.onnx.ImportedBert;
import ai.distill4j.model.onnx.OnnxModel;
import ai.distill4j.model.onnx.OnnxModelReader;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The folder where the quickstart keeps what is expensive to redo: the imported all-MiniLM-L6-v2
 * ({@code <root>/all-minilm-l6-v2}, the folder {@code ./distill4j demo} uses too) and the fine-tuned teachers
 * ({@code <root>/quickstart/<teacher key>/}). Entries are built in a temporary folder and renamed into place when
 * complete, so an interrupted run never leaves a half-written entry that a later run would trust.
 *
 * @since 0.1.0
 */
public final class ModelCache {

    /** The imported all-MiniLM-L6-v2 folder inside the root. */
    public static final String BASE_TEACHER = "all-minilm-l6-v2";
    /** The folder of fine-tuned teachers inside the root. */
    public static final String TUNED = "quickstart";
    /** The file that marks a fine-tuned teacher entry complete (its summary). */
    public static final String TUNED_SUMMARY = "teacher.json";
    /** The HF folder of a fine-tuned teacher, inside its entry. */
    public static final String TUNED_MODEL = "model";
    /** The training logs of a fine-tuned teacher, inside its entry. */
    public static final String TUNED_RUN = "run";

    private final Path root;

    /**
     * Opens a cache folder (created on first write).
     *
     * @param root the folder
     */
    public ModelCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * Returns the default cache: {@code ~/.cache/distill4j}.
     *
     * @return the default cache
     */
    public static ModelCache defaultCache() {
        return new ModelCache(Path.of(System.getProperty("user.home"), ".cache", "distill4j"));
    }

    /**
     * Returns the root folder.
     *
     * @return the root
     */
    public Path root() {
        return root;
    }

    /**
     * Returns the folder of the imported all-MiniLM-L6-v2.
     *
     * @return {@code <root>/all-minilm-l6-v2}
     */
    public Path baseTeacher() {
        return root.resolve(BASE_TEACHER);
    }

    /**
     * Returns the entry of a fine-tuned teacher.
     *
     * @param key {@link QuickstartSettings#teacherKey()}
     * @return {@code <root>/quickstart/<key>}
     */
    public Path tunedTeacher(String key) {
        return root.resolve(TUNED).resolve(key);
    }

    /**
     * Tells whether a folder holds a complete HuggingFace model with its tokenizer.
     *
     * @param dir the folder
     * @return true when config.json, model.safetensors and tokenizer.json exist
     */
    public static boolean isModelFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(BertModels.CONFIG)) && Files.isRegularFile(dir.resolve(BertModels.WEIGHTS))
                && Files.isRegularFile(dir.resolve(BertModels.TOKENIZER));
    }

    /**
     * Tells whether a fine-tuned teacher entry is complete.
     *
     * @param key the teacher key
     * @return true when its model folder and summary exist
     */
    public boolean hasTunedTeacher(String key) {
        Path dir = tunedTeacher(key);
        return isModelFolder(dir.resolve(TUNED_MODEL)) && Files.isRegularFile(dir.resolve(TUNED_SUMMARY));
    }

    /**
     * Makes sure the imported all-MiniLM-L6-v2 is in the cache, importing the bundled ONNX graph when it is not.
     *
     * @param log where progress goes
     * @return the model folder
     * @throws IOException when the import fails or the bundled model is not on the classpath
     */
    public Path ensureBaseTeacher(PrintWriter log) throws IOException {
        Path dir = baseTeacher();
        if (isModelFolder(dir)) {
            log.println("quickstart: teacher all-MiniLM-L6-v2 from the cache " + dir);
            return dir;
        }
        long t0 = System.nanoTime();
        log.println("quickstart: importing the bundled all-MiniLM-L6-v2 (" + BundledMiniLm.ARTIFACT + ") into " + dir);
        Path tmp = newTemporary(BASE_TEACHER);
        try {
            Path tokenizer = tmp.resolve("source-tokenizer.json");
            try (InputStream in = BundledMiniLm.openTokenizer()) {
                Files.copy(in, tokenizer);
            }
            OnnxModel onnx;
            try (InputStream in = BundledMiniLm.openOnnx()) {
                onnx = OnnxModelReader.read(in, BundledMiniLm.ONNX_RESOURCE);
            }
            BertOnnxImporter importer =
                    BertOnnxImporter.builder().optNumAttentionHeads(BundledMiniLm.NUM_ATTENTION_HEADS).build();
            Path model = tmp.resolve("model");
            try (NDManager manager = NDManager.newBaseManager()) {
                ImportedBert imported = importer.load(onnx, manager);
                BertModels.save(imported.model(), model, tokenizer);
            }
            publish(model, dir);
        } finally {
            DurableFiles.deleteRecursively(tmp);
        }
        log.printf("quickstart: imported in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return dir;
    }

    /**
     * Creates a fresh temporary folder inside the root, for building an entry.
     *
     * @param name a readable part of the folder name
     * @return the new folder
     * @throws IOException when it cannot be created
     */
    public Path newTemporary(String name) throws IOException {
        Files.createDirectories(root);
        Path tmp = root.resolve(".tmp-" + name + "-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        return tmp;
    }

    /**
     * Renames a finished folder into its place. When another process published the same entry meanwhile, theirs is
     * kept and the folder is left for the caller to delete.
     *
     * @param built the finished folder
     * @param target the entry's place
     * @throws IOException when the rename fails for another reason
     */
    public static void publish(Path built, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.move(built, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another run published it first: keep theirs
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(built, target);
        }
    }


    /**
     * Copies a folder tree (files replaced).
     *
     * @param from the source folder
     * @param to the target folder, created if needed
     * @throws IOException when copying fails
     */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
