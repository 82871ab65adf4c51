package ai.distill4j.examples;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the README and library examples need, in miniature: a random 12-layer BERT classifier (hidden size 16) saved
 * as a HuggingFace folder with the all-MiniLM-L6-v2 tokenizer, and train/dev TSV files with {@code text} and
 * {@code label} columns.
 */
public final class TinyTeacherFixture {

    private static final String[] POSITIVE = {"great", "lovely", "excellent", "happy", "good"};
    private static final String[] NEGATIVE = {"awful", "terrible", "sad", "bad", "horrible"};

    /** The teacher folder. */
    public final Path teacherDir;
    /** The training TSV. */
    public final Path trainTsv;
    /** The held-out TSV. */
    public final Path devTsv;

    private TinyTeacherFixture(Path teacherDir, Path trainTsv, Path devTsv) {
        this.teacherDir = teacherDir;
        this.trainTsv = trainTsv;
        this.devTsv = devTsv;
    }

    /**
     * Writes the fixture into a folder.
     *
     * @param dir the folder
     * @param trainRows rows of the training file
     * @param devRows rows of the held-out file
     * @return the fixture
     * @throws IOException when writing fails
     */
    public static TinyTeacherFixture create(Path dir, int trainRows, int devRows) throws IOException {
        Path tokenizer = dir.resolve("tokenizer.json");
        Files.createDirectories(dir);
        try (InputStream in = BundledMiniLm.openTokenizer()) {
            Files.copy(in, tokenizer);
        }
        Path teacherDir = dir.resolve("teacher");
        BertConfig config = BertConfig.builder().vocabSize(30522).hiddenSize(16).numHiddenLayers(12)
                .numAttentionHeads(2).intermediateSize(32).maxPositionEmbeddings(128).typeVocabSize(2)
                .numLabels(2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel teacher = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 11, m);
            BertModels.save(teacher, teacherDir, tokenizer);
        }
        Path train = dir.resolve("train.tsv");
        Path dev = dir.resolve("dev.tsv");
        Files.write(train, rows(trainRows, 1), StandardCharsets.UTF_8);
        Files.write(dev, rows(devRows, 2), StandardCharsets.UTF_8);
        return new TinyTeacherFixture(teacherDir, train, dev);
    }

    private static List<String> rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        lines.add("text\tlabel");
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(2);
            String[] words = label == 1 ? POSITIVE : NEGATIVE;
            lines.add("the film was " + words[r.nextInt(words.length)] + " and " + words[r.nextInt(words.length)]
                    + "\t" + label);
        }
        return lines;
    }
}
