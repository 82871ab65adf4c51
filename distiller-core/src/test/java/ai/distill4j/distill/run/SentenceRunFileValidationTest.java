package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.ValidationException;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.PoolingMode;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sentence-mode fields of a run file ({@code adaptor.pooling}/{@code normalize}, unlabelled data,
 * {@code embedding_agreement}, {@code saved_models}) fail with one line naming the field, the value and the rule,
 * with the closest known name for typos, before anything is written.
 */
class SentenceRunFileValidationTest {

    @TempDir
    Path tmp;

    private int cases;

    private Path variant(Consumer<JsonObject> edit) throws Exception {
        Path dir = tmp.resolve("case" + cases++);
        Files.createDirectories(dir);
        return SentenceRunFileTest.sentenceRun(dir, edit);
    }

    private String readError(Consumer<JsonObject> edit) throws Exception {
        return RunFileErrors.onRead(variant(edit));
    }

    private String runError(Consumer<JsonObject> edit) throws Exception {
        return RunFileErrors.onRun(variant(edit));
    }

    private static JsonObject object(JsonObject run, String key) {
        return run.getAsJsonObject(key);
    }

    @Test
    void poolingNamesAndTheNormalizeFlag() throws Exception {
        assertEquals("adaptor.pooling = 'meen': unknown pooling; known names are [cls, max, mean, mean_sqrt_len]; "
                + "did you mean 'mean'?", readError(r -> object(r, "adaptor").addProperty("pooling", "meen")));
        assertEquals("adaptor.normalize = \"yes\": must be true or false",
                readError(r -> object(r, "adaptor").addProperty("normalize", "yes")));
        String field = readError(r -> object(r, "adaptor").addProperty("poolng", "cls"));
        assertTrue(field.startsWith("adaptor.poolng is not a known field; did you mean 'pooling'?"), field);
        for (String name : new String[] {"mean", "cls", "max", "mean_sqrt_len", "mean_sqrt_len_tokens"}) {
            Path f = variant(r -> object(r, "adaptor").addProperty("pooling", name));
            assertEquals(PoolingMode.parse(name.startsWith("mean_sqrt") ? "mean_sqrt_len_tokens" : name),
                    RunFile.read(f).sentencePooling().mode());
        }
        Path defaults = variant(r -> r.remove("adaptor"));
        assertEquals(Pooling.mean(), RunFile.read(defaults).sentencePooling());
    }

    @Test
    void savedModelsFormatAndItsOptions() throws Exception {
        assertEquals("saved_models.format = 'sentence-transformers': unknown saved-model format; known names are "
                + "[hf, sentence_transformers]; did you mean 'sentence_transformers'?",
                readError(r -> object(r, "saved_models").addProperty("format", "sentence-transformers")));
        assertEquals("saved_models.max_seq_length = 64: only applies to \"format\": \"sentence_transformers\"",
                readError(r -> {
                    object(r, "saved_models").addProperty("format", "hf");
                    object(r, "saved_models").addProperty("max_seq_length", 64);
                }));
        assertEquals("saved_models.max_seq_length = 1: must be >= 2",
                readError(r -> object(r, "saved_models").addProperty("max_seq_length", 1)));
        assertEquals("saved_models.max_seq_length = 64: must be <= the student's max_position_embeddings = 32",
                runError(r -> object(r, "saved_models").addProperty("max_seq_length", 64)));
        assertEquals("saved_models.tokenizer = 'nowhere.json': " + tmp.resolve("case4/trajectory-general/nowhere.json")
                + " does not exist or is not readable", assertThrows(ValidationException.class,
                () -> RunFile.read(variant(r -> object(r, "saved_models").addProperty("tokenizer", "nowhere.json")))
                        .checkFiles()).getMessage());
    }

    @Test
    void aSentenceTransformersExportNeedsATokenizer() throws Exception {
        // JSON-lines data and model folders without tokenizer.json: nothing to copy into the folder
        String m = runError(r -> {
            r.addProperty("train_data", "train.jsonl");
            r.remove("eval_data");
            r.remove("evaluation");
        });
        assertTrue(m.startsWith("saved_models.format = 'sentence_transformers': needs a tokenizer.json to save with "
                + "the model, and none was found (looked for ["), m);
        assertTrue(m.endsWith("]); set saved_models.tokenizer"), m);
    }

    @Test
    void unlabelledDataIsRefusedWhereLabelsAreNeeded() throws Exception {
        assertEquals("hard_label_loss = 'ce': needs labels, but train_data 'train.tsv' (no label_column) has none; "
                + "set \"hard_label_loss\": \"none\" to distil without labels (KD on the teacher's logits and the "
                + "intermediate matches need none)", runError(r -> r.addProperty("hard_label_loss", "ce")));
        assertEquals("distillation_config.probability_shift = true: needs labels, but train_data 'train.tsv' (no "
                + "label_column) has none; set it to false for unlabelled data",
                runError(r -> object(r, "distillation_config").addProperty("probability_shift", true)));
        assertEquals("evaluation.metric = 'accuracy': needs labels, but eval_data 'eval.tsv' (no label_column) has "
                + "none; to compare the student's sentence vectors with the teacher's instead, set \"evaluation\": "
                + "{\"metric\": \"embedding_agreement\"}", runError(r -> r.remove("evaluation")));
    }

    @Test
    void embeddingAgreementSettings() throws Exception {
        assertEquals("evaluation.metric = 'embedding_agrement': unknown evaluation metric; known names are "
                + "[accuracy, embedding_agreement, eval_loss]; did you mean 'embedding_agreement'?",
                readError(r -> object(r, "evaluation").addProperty("metric", "embedding_agrement")));
        assertEquals("evaluation.rank_by = 'spearmen': unknown embedding-agreement value; known names are "
                + "[mean_cosine, spearman, top10_agreement, top1_agreement]; did you mean 'spearman'?",
                readError(r -> object(r, "evaluation").addProperty("rank_by", "spearmen")));
        assertEquals("evaluation.rank_by = 'spearman': only applies to \"metric\": \"embedding_agreement\"; "
                + "'accuracy' ranks by itself",
                readError(r -> object(r, "evaluation").addProperty("metric", "accuracy")));
        assertEquals("evaluation.mode = 'min': the embedding-agreement values are better when larger; use \"max\"",
                readError(r -> object(r, "evaluation").addProperty("mode", "min")));
        assertEquals("evaluation = {\"metric\":\"embedding_agreement\",\"rank_by\":\"spearman\"}: evaluates on "
                + "eval_data, which is missing; add eval_data or remove evaluation", readError(r -> r.remove("eval_data")));
        assertEquals("evaluation.metric = 'embedding_agreement': compares the student's sentence vectors with a "
                + "teacher's; BasicTrainer has no teacher", readError(r -> {
                    r.addProperty("distiller", "BasicTrainer");
                    r.remove("teacher");
                    r.addProperty("hard_label_loss", "ce");
                }));
        String width = runError(r -> {
            object(r, "evaluation").addProperty("rank_by", "mean_cosine");
            JsonObject config = new JsonObject();
            config.addProperty("vocab_size", 120);
            config.addProperty("hidden_size", 16);
            config.addProperty("num_hidden_layers", 1);
            config.addProperty("num_attention_heads", 2);
            config.addProperty("intermediate_size", 32);
            config.addProperty("max_position_embeddings", 32);
            JsonObject student = new JsonObject();
            student.add("config", config);
            student.addProperty("init", "random");
            r.add("student", student);
            r.getAsJsonObject("distillation_config").getAsJsonArray("intermediate_matches").remove(0);
        });
        assertEquals("evaluation.rank_by = 'mean_cosine': needs vectors of one width, but the student's hidden_size "
                + "is 16 and the teacher's 32; rank by \"spearman\" or a neighbour agreement", width);
    }
}
