package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.Distiller;
import ai.distill4j.distill.Trajectories;
import ai.distill4j.distill.callback.EvaluationRecord;
import ai.distill4j.distill.eval.EmbeddingAgreementEvaluator;
import ai.distill4j.distill.log.EvalLog;
import ai.distill4j.distill.log.EvalRow;
import ai.distill4j.distill.log.MetricsLog;
import ai.distill4j.distill.log.MetricsRow;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.PoolingMode;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.sentence.ModuleEntry;
import ai.distill4j.model.sentence.SentenceModel;
import ai.distill4j.model.sentence.SentenceTransformers;
import ai.distill4j.model.text.BertTokenizer;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task-agnostic sentence-embedding distillation from a run file, on the tiny trajectory models (a 4-layer teacher
 * and a 2-layer student of width 32, vocabulary 120) with a 120-token WordPiece tokenizer and unlabelled text:
 * mean pooling with normalisation, {@code embedding_mse} + {@code similarity_matrix} on {@code sentence}, the
 * embedding-agreement evaluation picking the best checkpoint, and the best student written as a
 * Sentence-Transformers folder.
 */
class SentenceRunFileTest {

    private static final String[] ADJECTIVES = {"big", "small", "red", "blue", "green", "old", "young", "fast",
        "slow", "happy"};
    private static final String[] ANIMALS = {"cat", "dog", "bird", "fish", "cow", "horse", "mouse", "lion", "bear",
        "wolf"};
    private static final String[] VERBS = {"sat", "ran", "ate", "saw", "slept", "jumped", "swam", "flew", "walked",
        "barked"};
    private static final String[] PLACES = {"mat", "bed", "tree", "river", "field", "house", "road", "park", "lake",
        "hill"};
    private static final String[] TIMES = {"today", "now", "then", "", "", ""};

    @TempDir
    Path tmp;

    /** Sentences of the tiny vocabulary, e.g. "the red cat sat on the mat today". */
    static List<String> sentences(int n, long seed) {
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String time = TIMES[rnd.nextInt(TIMES.length)];
            out.add(("the " + ADJECTIVES[rnd.nextInt(10)] + " " + ANIMALS[rnd.nextInt(10)] + " "
                    + VERBS[rnd.nextInt(10)] + " " + (rnd.nextBoolean() ? "on" : "in") + " the "
                    + PLACES[rnd.nextInt(10)] + " " + time).strip());
        }
        return out;
    }

    /** Copies the tiny tokenizer next to the run file. */
    static Path tinyTokenizer(Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        try (InputStream in = SentenceRunFileTest.class.getResourceAsStream("/sentence/tiny-tokenizer/tokenizer.json")) {
            Files.copy(in, file);
        }
        return file;
    }

    static void writeTexts(Path file, List<String> texts) throws Exception {
        Files.writeString(file, "text\n" + String.join("\n", texts) + "\n", StandardCharsets.UTF_8);
    }

    static JsonObject textData(String path) {
        JsonObject d = new JsonObject();
        d.addProperty("path", path);
        d.addProperty("format", "tsv");
        d.addProperty("text_column", "text");
        d.addProperty("tokenizer", "tokenizer.json");
        d.addProperty("max_length", 16);
        return d;
    }

    /**
     * The trajectory-general folder with unlabelled train.tsv (32 sentences) and eval.tsv (12), and a sentence run
     * file over them.
     */
    static Path sentenceRun(Path tmp, Consumer<JsonObject> edit) throws Exception {
        Path dir = Trajectories.copy("trajectory-general", tmp);
        tinyTokenizer(dir);
        writeTexts(dir.resolve("train.tsv"), sentences(32, 1));
        writeTexts(dir.resolve("eval.tsv"), sentences(12, 2));
        JsonObject run = JsonParser.parseString("""
                {
                  "distiller": "GeneralDistiller",
                  "teacher": "teacher",
                  "student": "student",
                  "batch_size": 8, "shuffle": true, "seed": 3, "num_epochs": 4, "dropout": false,
                  "progress_bar": false,
                  "optimizer": {"name": "adamw", "lr": 0.003},
                  "adaptor": {"attention": "probs", "pooling": "mean", "normalize": true},
                  "hard_label_loss": "none",
                  "training_config": {"output_dir": "out", "keep_last_checkpoints": 1},
                  "distillation_config": {"kd_loss_weight": 0, "hard_label_weight": 0, "intermediate_matches": [
                    {"layer_T": 0, "layer_S": 0, "feature": "sentence", "loss": "embedding_mse", "weight": 1},
                    {"layer_T": 0, "layer_S": 0, "feature": "sentence", "loss": "similarity_matrix", "weight": 1}]},
                  "evaluation": {"metric": "embedding_agreement", "rank_by": "spearman"},
                  "saved_models": {"format": "sentence_transformers"}
                }
                """).getAsJsonObject();
        run.add("train_data", textData("train.tsv"));
        run.add("eval_data", textData("eval.tsv"));
        edit.accept(run);
        Path file = dir.resolve("sentence-run.json");
        Files.writeString(file, run.toString());
        return file;
    }

    private static double meanLoss(List<MetricsRow> rows, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += rows.get(i).totalLoss();
        }
        return sum / (to - from);
    }

    @Test
    void unlabelledTextDistilsSentenceVectorsAndSavesTheBestStudentAsSentenceTransformers() throws Exception {
        Path file = sentenceRun(tmp, r -> { });
        RunFile runFile = RunFile.read(file);
        assertEquals(Pooling.mean().normalized(), runFile.sentencePooling());
        RunResult result = runFile.run(false);

        // the loss goes down: 4 epochs of 4 batches
        List<MetricsRow> rows = MetricsLog.read(result.metricsFile());
        assertEquals(16, rows.size());
        assertTrue(rows.get(0).terms().containsKey("unweighted_sentence_embedding_mse_0_0"), rows.get(0).terms()
                .keySet().toString());
        double first = meanLoss(rows, 0, 4);
        double last = meanLoss(rows, 12, 16);
        assertTrue(last < 0.8 * first, "mean loss of the first epoch " + first + ", of the last " + last);

        // eval.jsonl has the four agreement values per checkpoint; the best checkpoint is the best spearman
        List<EvalRow> evals = EvalLog.read(result.evalFile());
        assertEquals(4, evals.size());
        for (EvalRow e : evals) {
            for (String key : List.of(EmbeddingAgreementEvaluator.MEAN_COSINE, EmbeddingAgreementEvaluator.SPEARMAN,
                    EmbeddingAgreementEvaluator.TOP1_AGREEMENT, EmbeddingAgreementEvaluator.TOP10_AGREEMENT)) {
                double v = e.metrics().get(key);
                assertTrue(v >= -1 && v <= 1, key + " = " + v);
            }
        }
        double best = Double.NEGATIVE_INFINITY;
        int bestStep = -1;
        for (EvaluationRecord e : result.training().history()) {
            double v = e.metrics().get(EmbeddingAgreementEvaluator.SPEARMAN);
            if (v > best) {
                best = v;
                bestStep = e.step();
            }
        }
        assertEquals(best, result.training().bestMetric(), 0);
        Path bestCheckpoint = result.training().bestCheckpoint().orElseThrow();
        assertEquals("step-" + bestStep, bestCheckpoint.getFileName().toString());
        assertTrue(evals.get(3).metrics().get(EmbeddingAgreementEvaluator.MEAN_COSINE)
                > evals.get(0).metrics().get(EmbeddingAgreementEvaluator.MEAN_COSINE) - 1e-9);

        // the Sentence-Transformers folder: mean pooling + Normalize, the best student's vectors exactly
        Path st = result.sentenceTransformersDir().orElseThrow();
        assertEquals(result.outputDir().resolve("sentence-transformers"), st);
        List<ModuleEntry> modules = SentenceTransformers.readModules(st);
        assertEquals(List.of(ModuleEntry.TRANSFORMER, ModuleEntry.POOLING, ModuleEntry.NORMALIZE),
                modules.stream().map(ModuleEntry::type).toList());
        List<String> texts = sentences(12, 2);
        try (NDManager m = NDManager.newBaseManager(); SentenceModel loaded = SentenceTransformers.load(st, m);
                BertTokenizer tok = BertTokenizer.builder(st.resolve("tokenizer.json")).maxLength(16)
                        .truncation(true).padding(BertTokenizer.Padding.LONGEST).build()) {
            assertEquals(new Pooling(PoolingMode.MEAN, true), loaded.pooling());
            assertEquals(16, loaded.sentenceBertConfig().maxSeqLength());
            float[][] reloaded = loaded.encoder(8).encode(texts);
            var checkpointStudent = BertModels.load(bestCheckpoint.resolve(Distiller.STUDENT_DIR), m).model();
            float[][] expected = SentenceEncoder.builder(checkpointStudent).pooling(Pooling.mean().normalized())
                    .tokenizer(tok).batchSize(8).build().encode(texts);
            double maxDiff = 0;
            for (int i = 0; i < texts.size(); i++) {
                for (int j = 0; j < expected[i].length; j++) {
                    maxDiff = Math.max(maxDiff, Math.abs(expected[i][j] - reloaded[i][j]));
                }
            }
            assertEquals(0, maxDiff, 1e-6, "reloaded vectors differ by " + maxDiff);
            double norm = 0;
            for (float x : reloaded[0]) {
                norm += x * x;
            }
            assertEquals(1, Math.sqrt(norm), 1e-5, "normalised");
        }
    }

    @Test
    void resumingAFinishedSentenceRunWritesTheSameExport() throws Exception {
        Path file = sentenceRun(tmp, r -> {
            r.addProperty("num_epochs", 1);
            r.remove("evaluation");
            r.remove("eval_data");
            JsonObject a = r.getAsJsonObject("adaptor");
            a.addProperty("pooling", "cls");
            a.remove("normalize");
            JsonObject saved = r.getAsJsonObject("saved_models");
            saved.addProperty("max_seq_length", 24);
        });
        RunResult first = RunFile.read(file).run(false);
        Path st = first.sentenceTransformersDir().orElseThrow();
        byte[] weights = Files.readAllBytes(st.resolve(BertModels.WEIGHTS));
        JsonObject pooling = JsonParser.parseString(Files.readString(st.resolve("1_Pooling/config.json")))
                .getAsJsonObject();
        assertTrue(pooling.get("pooling_mode_cls_token").getAsBoolean());
        assertFalse(pooling.get("pooling_mode_mean_tokens").getAsBoolean());
        assertFalse(Files.exists(st.resolve(SentenceTransformers.NORMALIZE_DIR)));
        assertEquals(24, JsonParser.parseString(Files.readString(st.resolve("sentence_bert_config.json")))
                .getAsJsonObject().get("max_seq_length").getAsInt());
        // no evaluation: the last checkpoint is exported
        assertTrue(first.training().bestCheckpoint().isEmpty());

        RunResult again = RunFile.read(file).run(true);
        assertEquals(first.training().globalSteps(), again.training().globalSteps());
        assertArrayEquals(weights, Files.readAllBytes(again.sentenceTransformersDir().orElseThrow()
                .resolve(BertModels.WEIGHTS)));
        try (var listing = Files.list(first.outputDir())) {
            assertTrue(listing.noneMatch(p -> p.getFileName().toString().startsWith(".sentence-transformers")),
                    "no temporary export folder is left behind");
        }
    }

    @Test
    void unlabelledJsonLinesDistilTheTeachersLogitsWithoutHardLabels() throws Exception {
        Path dir = Trajectories.copy("trajectory-general", tmp);
        List<String> lines = Files.readAllLines(dir.resolve("train.jsonl"));
        List<String> unlabelled = new ArrayList<>();
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            o.remove("label");
            unlabelled.add(o.toString());
        }
        Files.write(dir.resolve("unlabelled.jsonl"), unlabelled);
        JsonObject run = JsonParser.parseString(Files.readString(dir.resolve("run.json"))).getAsJsonObject();
        run.addProperty("progress_bar", false);
        run.addProperty("train_data", "unlabelled.jsonl");
        run.addProperty("hard_label_loss", "none");
        Files.writeString(dir.resolve("run.json"), run.toString());
        List<MetricsRow> rows = MetricsLog.read(RunFile.read(dir.resolve("run.json")).run(false).metricsFile());
        assertEquals(12, rows.size());
        Map<String, Double> terms = rows.get(0).terms();
        assertTrue(terms.containsKey("unweighted_kd_loss"), terms.keySet().toString());
        assertTrue(terms.get("unweighted_kd_loss") > 0);
        assertFalse(terms.containsKey("unweighted_hard_label_loss"), terms.keySet().toString());
    }
}
