package ai.distill4j.model.sentence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.pooling.Pooling;
import ai.distill4j.model.pooling.PoolingMode;
import ai.distill4j.model.pooling.SentenceEncoder;
import ai.distill4j.model.pooling.SentenceTestModels;
import ai.distill4j.model.text.TokenizedBatch;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentenceTransformersTest {

    static NDManager root;
    static Path tokenizerJson;

    @BeforeAll
    static void setUp(@TempDir Path dir) throws IOException {
        root = NDManager.newBaseManager();
        tokenizerJson = dir.resolve("tokenizer.json");
        try (InputStream in = SentenceTransformersTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, tokenizerJson);
        }
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    /** A tiny encoder over the MiniLM vocabulary, so that the real tokenizer fits it. */
    static BertConfig miniLmVocabConfig() {
        return SentenceTestModels.tinyConfig().toBuilder().vocabSize(30522).maxPositionEmbeddings(512).build();
    }

    static JsonElement json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
    }

    static JsonElement fixture(String name) throws IOException {
        try (InputStream in = SentenceTransformersTest.class.getResourceAsStream("/sentence/st-minilm-layout/" + name)) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void savedFolderHoldsExactlyTheSentenceTransformersFiles(@TempDir Path dir) throws IOException {
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 1, m);
            Path normalized = dir.resolve("normalized");
            SentenceTransformers.save(model, Pooling.mean().normalized(), SentenceBertConfig.of(20), tokenizerJson,
                    normalized);
            assertEquals(new TreeSet<>(List.of("1_Pooling/", "1_Pooling/config.json", "2_Normalize/",
                    "config.json", "config_sentence_transformers.json", "model.safetensors", "modules.json",
                    "sentence_bert_config.json", "tokenizer.json")), files(normalized));
            try (Stream<Path> s = Files.list(normalized.resolve("2_Normalize"))) {
                assertEquals(0, s.count(), "the Normalize module saves nothing");
            }

            Path plain = dir.resolve("plain");
            SentenceTransformers.save(model, Pooling.of(PoolingMode.CLS), SentenceBertConfig.of(20), null, plain);
            assertFalse(Files.exists(plain.resolve("2_Normalize")));
            assertFalse(Files.exists(plain.resolve("tokenizer.json")));
            assertEquals(2, json(plain.resolve("modules.json")).getAsJsonArray().size());
        }
    }

    @Test
    void modulesJsonIsTheOneSentenceTransformersWritesForAllMiniLm(@TempDir Path dir) throws IOException {
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 1, m);
            SentenceTransformers.save(model, Pooling.mean().normalized(), SentenceBertConfig.of(20), tokenizerJson, dir);
        }
        JsonArray modules = json(dir.resolve("modules.json")).getAsJsonArray();
        assertEquals(fixture("modules.json"), modules);
        for (JsonElement e : modules) {
            JsonObject o = e.getAsJsonObject();
            assertEquals(List.of("idx", "name", "path", "type"), new ArrayList<>(o.keySet()));
            assertTrue(o.get("idx").getAsJsonPrimitive().isNumber());
            assertTrue(o.get("name").getAsJsonPrimitive().isString());
            assertTrue(o.get("path").getAsJsonPrimitive().isString());
            assertTrue(o.get("type").getAsJsonPrimitive().isString());
        }
        String text = Files.readString(dir.resolve("modules.json"));
        assertTrue(text.startsWith("[\n  {\n    \"idx\": 0,"), "indent=2 as json.dump(..., indent=2): " + text);
    }

    @Test
    void poolingConfigHasEverySentenceTransformersKeyWithItsType(@TempDir Path dir) throws IOException {
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 1, m);
            SentenceTransformers.save(model, Pooling.of(PoolingMode.MAX), SentenceBertConfig.of(20), null, dir);
        }
        JsonObject pooling = json(dir.resolve("1_Pooling/config.json")).getAsJsonObject();
        // models.Pooling.config_keys, in order
        assertEquals(List.of("word_embedding_dimension", "pooling_mode_cls_token", "pooling_mode_mean_tokens",
                "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens",
                "pooling_mode_lasttoken", "include_prompt"), new ArrayList<>(pooling.keySet()));
        assertEquals("16", pooling.get("word_embedding_dimension").getAsJsonPrimitive().toString(),
                "an integer, not 16.0");
        for (String key : pooling.keySet()) {
            if (!key.equals("word_embedding_dimension")) {
                assertTrue(pooling.get(key).getAsJsonPrimitive().isBoolean(), key);
            }
        }
        assertTrue(pooling.get("pooling_mode_max_tokens").getAsBoolean());
        assertFalse(pooling.get("pooling_mode_mean_tokens").getAsBoolean());
        assertFalse(pooling.get("pooling_mode_cls_token").getAsBoolean());
        assertTrue(pooling.get("include_prompt").getAsBoolean());
        assertTrue(Files.readString(dir.resolve("1_Pooling/config.json")).startsWith("{\n    \"word_embedding"),
                "indent=4 as Module.save_config");

        JsonObject sbert = json(dir.resolve("sentence_bert_config.json")).getAsJsonObject();
        assertEquals(List.of("max_seq_length", "do_lower_case"), new ArrayList<>(sbert.keySet()));
        assertEquals("20", sbert.get("max_seq_length").getAsJsonPrimitive().toString());
        assertTrue(sbert.get("do_lower_case").getAsJsonPrimitive().isBoolean());

        JsonObject st = json(dir.resolve("config_sentence_transformers.json")).getAsJsonObject();
        assertEquals("SentenceTransformer", st.get("model_type").getAsString());
        assertEquals(new JsonObject(), st.get("prompts"));
        assertTrue(st.get("default_prompt_name").isJsonNull());
        assertEquals("cosine", st.get("similarity_fn_name").getAsString());

        JsonObject config = json(dir.resolve("config.json")).getAsJsonObject();
        assertEquals("bert", config.get("model_type").getAsString());
        assertEquals("BertModel", config.getAsJsonArray("architectures").get(0).getAsString());
    }

    @Test
    void aSavedFolderLoadsBackToTheSameVectors(@TempDir Path dir) throws IOException {
        List<String> texts = List.of("The quick brown fox.", "A slow green turtle walks home.", "hello");
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(miniLmVocabConfig(), BertHead.NONE, 4, m);
            for (Pooling pooling : List.of(Pooling.mean().normalized(), Pooling.of(PoolingMode.MAX),
                    Pooling.of(PoolingMode.CLS).normalized(), Pooling.of(PoolingMode.MEAN_SQRT_LEN))) {
                Path folder = dir.resolve(pooling.toString());
                SentenceBertConfig sbert = new SentenceBertConfig(24, false);
                SentenceTransformers.save(model, pooling, sbert, tokenizerJson, folder);
                try (SentenceModel saved = new SentenceModel(model, pooling, sbert, tokenizerJson, List.of());
                        SentenceModel loaded = SentenceTransformers.load(folder, m)) {
                    assertEquals(pooling, loaded.pooling());
                    assertEquals(sbert, loaded.sentenceBertConfig());
                    assertEquals(model.config().hiddenSize(), loaded.dimension());
                    assertEquals(folder.resolve("tokenizer.json"), loaded.tokenizerJson());
                    assertEquals(pooling.normalize() ? 3 : 2, loaded.modules().size());
                    float[][] before = saved.encoder(2).encode(texts);
                    float[][] after = loaded.encoder(2).encode(texts);
                    for (int i = 0; i < texts.size(); i++) {
                        assertArrayEquals(before[i], after[i], 0f, pooling + ": " + texts.get(i));
                    }
                }
            }
        }
    }

    @Test
    void loadsTheLayoutSentenceTransformersDocumentsForAllMiniLm(@TempDir Path dir) throws IOException {
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(miniLmVocabConfig(), BertHead.NONE, 6, m);
            BertModels.save(model, dir, tokenizerJson);
            Files.writeString(dir.resolve("modules.json"), fixture("modules.json").toString());
            Files.writeString(dir.resolve("sentence_bert_config.json"), fixture("sentence_bert_config.json").toString());
            Files.createDirectories(dir.resolve("1_Pooling"));
            Files.createDirectories(dir.resolve("2_Normalize"));
            Files.writeString(dir.resolve("1_Pooling/config.json"),
                    fixture("1_Pooling/config.json").toString().replace("384", "16"));
            try (SentenceModel loaded = SentenceTransformers.load(dir, m)) {
                assertEquals(Pooling.mean().normalized(), loaded.pooling());
                assertEquals(new SentenceBertConfig(256, false), loaded.sentenceBertConfig());
                SentenceEncoder enc = loaded.encoder(8);
                float[] v = enc.encode(List.of("sentence embeddings"))[0];
                double norm = 0;
                for (float x : v) {
                    norm += x * x;
                }
                assertEquals(1.0, Math.sqrt(norm), 1e-5, "normalised");
            }
        }
    }

    @Test
    void savingCopiesTheTokenizersCompanionFiles(@TempDir Path dir) throws IOException {
        Path source = dir.resolve("source");
        Files.createDirectories(source);
        Files.copy(tokenizerJson, source.resolve("tokenizer.json"));
        Files.writeString(source.resolve("vocab.txt"), "[PAD]\n[UNK]\n");
        Files.writeString(source.resolve("tokenizer_config.json"), "{\"do_lower_case\": true}");
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 1, m);
            Path out = dir.resolve("out");
            SentenceTransformers.save(model, Pooling.mean(), SentenceBertConfig.of(16), source.resolve("tokenizer.json"),
                    out);
            assertEquals("[PAD]\n[UNK]\n", Files.readString(out.resolve("vocab.txt")));
            assertTrue(Files.isRegularFile(out.resolve("tokenizer_config.json")));
            assertFalse(Files.exists(out.resolve("special_tokens_map.json")));
        }
    }

    @Test
    void saveRejectsAMaxSeqLengthBeyondThePositionEmbeddings(@TempDir Path dir) {
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 1, m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SentenceTransformers.save(model, Pooling.mean(), SentenceBertConfig.of(25), null, dir));
            assertTrue(e.getMessage().contains("max_seq_length = 25") && e.getMessage().contains("24"),
                    e.getMessage());
        }
    }

    @Test
    void loadRefusesModulesItCannotRun(@TempDir Path dir) throws IOException {
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 1, m);
            SentenceTransformers.save(model, Pooling.mean().normalized(), SentenceBertConfig.of(20), null, dir);
            String modules = Files.readString(dir.resolve("modules.json"))
                    .replace("sentence_transformers.models.Normalize", "sentence_transformers.models.Dense");
            Files.writeString(dir.resolve("modules.json"), modules);
            IOException e = assertThrows(IOException.class, () -> SentenceTransformers.load(dir, m));
            assertTrue(e.getMessage().contains("modules.json") && e.getMessage().contains("models.Dense"),
                    e.getMessage());

            Files.writeString(dir.resolve("modules.json"), modules.replace("models.Dense", "models.Normalize"));
            Files.writeString(dir.resolve("1_Pooling/config.json"),
                    new PoolingConfig(32, PoolingMode.MEAN).toJsonObject().toString());
            e = assertThrows(IOException.class, () -> SentenceTransformers.load(dir, m));
            assertTrue(e.getMessage().contains("word_embedding_dimension' = 32")
                    && e.getMessage().contains("hidden_size = 16"), e.getMessage());

            IOException notSt = assertThrows(IOException.class,
                    () -> SentenceTransformers.load(dir.resolve("1_Pooling"), m));
            assertTrue(notSt.getMessage().contains("no modules.json"), notSt.getMessage());
        }
    }

    @Test
    void poolingConfigReadsLikeSentenceTransformersPoolingConstructor(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, fixture("1_Pooling/config.json").toString());
        assertEquals(new PoolingConfig(384, PoolingMode.MEAN), PoolingConfig.read(file));

        Files.writeString(file, "{\"word_embedding_dimension\": 8}");
        assertEquals(PoolingMode.MEAN, PoolingConfig.read(file).mode(), "mean is on by default");

        Files.writeString(file, "{\"word_embedding_dimension\": 8, \"pooling_mode_mean_tokens\": false, "
                + "\"pooling_mode_cls_token\": true}");
        assertEquals(PoolingMode.CLS, PoolingConfig.read(file).mode());

        Files.writeString(file, "{\"word_embedding_dimension\": 8, \"pooling_mode\": \"max\"}");
        assertEquals(PoolingMode.MAX, PoolingConfig.read(file).mode(), "pooling_mode overrides the flags");

        for (PoolingMode mode : PoolingMode.values()) {
            new PoolingConfig(8, mode).write(file);
            assertEquals(new PoolingConfig(8, mode), PoolingConfig.read(file));
        }
    }

    @Test
    void poolingConfigRefusesWhatItCannotRunNamingFileAndKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        assertRefused(file, "{\"word_embedding_dimension\": 8, \"pooling_mode_cls_token\": true}", "cls+mean");
        assertRefused(file, "{\"word_embedding_dimension\": 8, \"pooling_mode_mean_tokens\": false, "
                + "\"pooling_mode_weightedmean_tokens\": true}", "weightedmean");
        assertRefused(file, "{\"word_embedding_dimension\": 8, \"pooling_mode_mean_tokens\": false}",
                "no pooling mode");
        assertRefused(file, "{\"word_embedding_dimension\": 8, \"pooling_mode_mean_tokens\": \"true\"}",
                "'pooling_mode_mean_tokens' = \"true\": must be true or false");
        assertRefused(file, "{\"word_embedding_dimension\": 8.5}", "'word_embedding_dimension' = 8.5");
        assertRefused(file, "{\"word_embedding_dimension\": 8, \"pooling_mode_mean\": true}",
                "unknown key 'pooling_mode_mean'");
    }

    static void assertRefused(Path file, String json, String expected) throws IOException {
        Files.writeString(file, json);
        IOException e = assertThrows(IOException.class, () -> PoolingConfig.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void sentenceBertConfigFallsBackToThePositionEmbeddingsWhenTheLengthIsNull(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("sentence_bert_config.json");
        Files.writeString(file, "{\"max_seq_length\": null, \"do_lower_case\": true}");
        assertEquals(new SentenceBertConfig(512, true), SentenceBertConfig.read(file, 512));
        Files.writeString(file, "{\"max_seq_length\": 0}");
        IOException e = assertThrows(IOException.class, () -> SentenceBertConfig.read(file, 512));
        assertTrue(e.getMessage().contains("'max_seq_length' = 0"), e.getMessage());
    }

    @Test
    void tokenizedInputsNeedNoTokenizer(@TempDir Path dir) throws IOException {
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(SentenceTestModels.tinyConfig(), BertHead.NONE, 2, m);
            SentenceTransformers.save(model, Pooling.mean(), SentenceBertConfig.of(24), null, dir);
            try (SentenceModel loaded = SentenceTransformers.load(dir, m)) {
                assertEquals(null, loaded.tokenizerJson());
                assertThrows(IllegalStateException.class, () -> loaded.encoder(4));
                TokenizedBatch batch = SentenceTestModels.fiveRows();
                float[][] a = SentenceEncoder.builder(model).build().encode(batch);
                float[][] b = SentenceEncoder.builder(loaded.model()).pooling(loaded.pooling()).build().encode(batch);
                for (int i = 0; i < a.length; i++) {
                    assertArrayEquals(a[i], b[i], 0f);
                }
            }
        }
    }
}
