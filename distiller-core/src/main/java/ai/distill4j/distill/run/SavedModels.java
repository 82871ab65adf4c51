package ai.distill4j.distill.run;

import ai.distill4j.distill.Distiller;
import ai.distill4j.distill.TrainResult;
import ai.distill4j.distill.internal.DurableFiles;
import ai.distill4j.distill.internal.Invalid;
import ai.distill4j.distill.internal.JsonReader;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.sentence.SentenceBertConfig;
import ai.distill4j.model.sentence.SentenceTransformers;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;

/**
 * The run file's {@code saved_models} object: the form in which the trained student is handed over.
 *
 * <ul>
 *   <li>{@code "format": "hf"} (the default): the checkpoints' {@code student/} folders, HuggingFace layout, nothing
 *       more;
 *   <li>{@code "format": "sentence_transformers"}: in addition, after training, the best checkpoint's student (the
 *       last checkpoint's without an evaluation) is written to {@code <output_dir>/sentence-transformers/} in the
 *       Sentence-Transformers layout ({@link SentenceTransformers#save}) with the adaptor's pooling and
 *       normalisation, {@code max_seq_length} (default: the training data's {@code max_length}, at most the student's
 *       {@code max_position_embeddings}) and a tokenizer ({@code tokenizer}, else the training data's, else the
 *       teacher's or the student's {@code tokenizer.json}).
 * </ul>
 *
 * @param format the format
 * @param maxSeqLength the explicit {@code max_seq_length}, or null for the default
 * @param tokenizer the explicit tokenizer path as written (relative to the run file), or null
 */
record SavedModels(Format format, Integer maxSeqLength, String tokenizer) {

    /** The keys of the {@code saved_models} object. */
    static final Set<String> KEYS = Set.of("format", "max_seq_length", "tokenizer");

    /** The folder, inside the output folder, of the Sentence-Transformers export. */
    static final String SENTENCE_TRANSFORMERS_DIR = "sentence-transformers";

    /** The formats by their run-file names. */
    enum Format {
        /** HuggingFace folders in the checkpoints (what every run writes). */
        HF("hf"),
        /** Also a Sentence-Transformers folder of the best student. */
        SENTENCE_TRANSFORMERS("sentence_transformers");

        private final String jsonName;

        Format(String jsonName) {
            this.jsonName = jsonName;
        }

        String jsonName() {
            return jsonName;
        }
    }

    /**
     * Reads the {@code saved_models} object.
     *
     * @param s its reader, or null when absent
     * @return the settings
     * @throws IllegalArgumentException naming the field, the value and the rule
     */
    static SavedModels parse(JsonReader s) {
        if (s == null) {
            return new SavedModels(Format.HF, null, null);
        }
        s.requireOnly(KEYS);
        String name = s.getString("format", Format.HF.jsonName());
        Format format = null;
        for (Format f : Format.values()) {
            if (f.jsonName().equals(name)) {
                format = f;
            }
        }
        if (format == null) {
            throw Invalid.unknownName(s.field("format"), name, "saved-model format",
                    List.of(Format.HF.jsonName(), Format.SENTENCE_TRANSFORMERS.jsonName()));
        }
        Integer maxSeq = s.getIntOrNull("max_seq_length");
        String tokenizer = s.getString("tokenizer", null);
        if (format == Format.HF) {
            Invalid.check(maxSeq == null, s.field("max_seq_length"), maxSeq,
                    "only applies to \"format\": \"sentence_transformers\"");
            Invalid.check(tokenizer == null, s.field("tokenizer"), tokenizer,
                    "only applies to \"format\": \"sentence_transformers\"");
        }
        if (maxSeq != null) {
            Invalid.check(maxSeq >= 2, s.field("max_seq_length"), maxSeq, "must be >= 2");
        }
        return new SavedModels(format, maxSeq, tokenizer);
    }

    /**
     * Tells whether a Sentence-Transformers folder is written after training.
     *
     * @return true for {@code sentence_transformers}
     */
    boolean sentenceTransformers() {
        return format == Format.SENTENCE_TRANSFORMERS;
    }

    /**
     * Plans the export for a student, before training: checks {@code max_seq_length} against the student and finds
     * the tokenizer to copy.
     *
     * @param student the student's config
     * @param dataLength the padded length of the training examples (the default {@code max_seq_length}, capped at
     *     the student's {@code max_position_embeddings})
     * @param tokenizers candidate {@code tokenizer.json} files, explicit ones first; the first that exists is used
     * @param pooling the adaptor's pooling
     * @return the plan
     * @throws IllegalArgumentException when {@code max_seq_length} is too long or no tokenizer exists
     */
    Export plan(BertConfig student, int dataLength, List<Path> tokenizers, Pooling pooling) {
        int positions = student.maxPositionEmbeddings();
        int length = maxSeqLength != null ? maxSeqLength : Math.min(dataLength, positions);
        Invalid.check(length <= positions, "saved_models.max_seq_length", length,
                "must be <= the student's max_position_embeddings = " + positions);
        Path tokenizerJson = tokenizers.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        if (tokenizerJson == null) {
            throw Invalid.value("saved_models.format", format.jsonName(), "needs a tokenizer.json to save with the "
                    + "model, and none was found (looked for " + tokenizers + "); set saved_models.tokenizer");
        }
        return new Export(pooling, length, tokenizerJson);
    }

    /**
     * A planned Sentence-Transformers export.
     *
     * @param pooling the pooling (and normalisation) the folder declares
     * @param maxSeqLength {@code max_seq_length}
     * @param tokenizerJson the tokenizer to copy
     */
    record Export(Pooling pooling, int maxSeqLength, Path tokenizerJson) {

        /**
         * Writes the Sentence-Transformers folder of a finished run: the best checkpoint's student (or the last
         * checkpoint's), written to a temporary sibling and then moved into place, replacing an older export.
         *
         * @param training the training result
         * @param outputDir the run's output folder
         * @return the folder, {@code <output_dir>/sentence-transformers}
         * @throws IOException when the checkpoint cannot be read or the folder cannot be written
         */
        Path write(TrainResult training, Path outputDir) throws IOException {
            Path checkpoint = training.bestCheckpoint().or(training::lastCheckpoint).orElseThrow(() ->
                    new IllegalStateException("the run kept no checkpoint; there is no student to export"));
            Path target = outputDir.resolve(SENTENCE_TRANSFORMERS_DIR);
            Path tmp = outputDir.resolve("." + SENTENCE_TRANSFORMERS_DIR + ".tmp-" + System.nanoTime());
            try (NDManager manager = NDManager.newBaseManager()) {
                manager.setName("sentence-transformers-export");
                LoadedBert student = BertModels.load(checkpoint.resolve(Distiller.STUDENT_DIR), manager);
                SentenceTransformers.save(student.model(), pooling, new SentenceBertConfig(maxSeqLength, false),
                        tokenizerJson, tmp);
                DurableFiles.deleteRecursively(target);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                DurableFiles.deleteRecursively(tmp);
            }
            return target;
        }
    }

}
