package ai.distill4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertInputs;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.BertOutput;
import ai.distill4j.model.bert.Students;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertModelsTest {

    static NDManager root;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    static Path teacherDir() {
        try {
            return Path.of(BertModelsTest.class.getResource("/bert/trajectory-teacher/config.json").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static BertConfig tinyConfig() {
        return BertConfig.builder().vocabSize(50).hiddenSize(16).numHiddenLayers(2).numAttentionHeads(4)
                .intermediateSize(32).maxPositionEmbeddings(16).numLabels(3).build();
    }

    static BertInputs inputs(NDManager m) {
        return new BertInputs(m.create(new long[][] {{2, 17, 33, 5, 9}, {2, 11, 4, 0, 0}}),
                m.create(new long[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}}),
                m.create(new long[][] {{0, 0, 1, 1, 1}, {0, 0, 0, 0, 0}}));
    }

    @Test
    void trajectoryTeacherLoadsWithItsHeadAndExactWeights() throws IOException {
        Path dir = teacherDir();
        try (NDManager m = root.newSubManager()) {
            LoadedBert loaded = BertModels.load(dir, m);
            BertModel model = loaded.model();
            assertEquals(BertHead.SEQUENCE_CLASSIFICATION, model.head());
            assertEquals(4, loaded.config().numHiddenLayers());
            assertEquals(32, loaded.config().hiddenSize());
            assertEquals(2, loaded.config().numLabels());
            assertTrue(loaded.initialisedHeadTensors().isEmpty(), loaded.initialisedHeadTensors().toString());
            assertTrue(loaded.unusedTensors().isEmpty(), loaded.unusedTensors().toString());
            assertNull(loaded.tokenizerJson());
            try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("model.safetensors"))) {
                for (Map.Entry<String, Parameter> en : model.namedParameters().entrySet()) {
                    String saved = BertModels.savedName(en.getKey(), BertHead.SEQUENCE_CLASSIFICATION);
                    assertArrayEquals(r.readFloats(saved), en.getValue().getArray().toFloatArray(), 0f, saved);
                }
            }
            try (NDManager step = m.newSubManager()) {
                BertOutput out = model.forward(new ParameterStore(step, false), inputs(step), false, false);
                assertEquals(5, out.hiddenStates().size());
                assertEquals(2, out.logits().getShape().get(1));
            }
        }
    }

    @Test
    void savedTeacherKeepsHuggingFaceNamesShapesAndDtypes() throws IOException {
        Path dir = teacherDir();
        Path out = tmp.resolve("saved");
        try (NDManager m = root.newSubManager()) {
            BertModels.save(BertModels.load(dir, m).model(), out);
        }
        try (SafetensorsReader original = SafetensorsReader.open(dir.resolve("model.safetensors"));
                SafetensorsReader saved = SafetensorsReader.open(out.resolve("model.safetensors"))) {
            assertEquals(original.tensors().keySet(), saved.tensors().keySet());
            assertEquals(List.copyOf(original.tensors().keySet()), List.copyOf(saved.tensors().keySet()),
                    "same (sorted) order as the reference writer");
            assertEquals(Map.of("format", "pt"), saved.metadata());
            for (TensorInfo t : saved.tensors().values()) {
                assertEquals(SafetensorsDType.F32, t.dtype(), t.name());
                assertArrayEquals(original.info(t.name()).shape(), t.shape(), t.name());
                assertEquals(original.info(t.name()).begin(), t.begin(), t.name());
                assertArrayEquals(original.readFloats(t.name()), saved.readFloats(t.name()), 0f, t.name());
            }
        }
        JsonObject cfg = JsonParser.parseString(Files.readString(out.resolve("config.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals("BertForSequenceClassification", cfg.getAsJsonArray("architectures").get(0).getAsString());
        assertEquals("bert", cfg.get("model_type").getAsString());
        assertEquals("LABEL_1", cfg.getAsJsonObject("id2label").get("1").getAsString());
        assertEquals(32, cfg.get("hidden_size").getAsInt());
    }

    @Test
    void saveThenLoadIsBitwiseExact() throws IOException {
        Path out = tmp.resolve("student");
        Path tokenizer = Files.writeString(tmp.resolve("tok.json"), "{\"version\": \"1.0\"}");
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(tinyConfig(), BertHead.SEQUENCE_CLASSIFICATION, 11, m);
            BertModels.save(model, out, tokenizer);
            LoadedBert back = BertModels.load(out, m);
            assertEquals(out.resolve("tokenizer.json"), back.tokenizerJson());
            Path probe = Files.writeString(out.resolve("probe.txt"), "x");
            for (String f : List.of("config.json", "model.safetensors")) {
                assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(out.resolve(f)),
                        f + " gets the permissions of any new file, not a temp file's 0600");
            }
            try (var listing = Files.list(out)) {
                assertEquals(Set.of("config.json", "model.safetensors", "tokenizer.json", "probe.txt"),
                        listing.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                        "no temporary files are left behind");
            }
            assertEquals(model.config(), back.config().toBuilder().architectures(List.of()).build());
            for (Map.Entry<String, Parameter> en : model.namedParameters().entrySet()) {
                float[] a = en.getValue().getArray().toFloatArray();
                float[] b = back.model().namedParameters().get(en.getKey()).getArray().toFloatArray();
                assertEquals(a.length, b.length);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), en.getKey());
                }
            }
            try (NDManager step = m.newSubManager()) {
                ParameterStore ps = new ParameterStore(step, false);
                BertOutput x = model.forward(ps, inputs(step), false, false);
                BertOutput y = back.model().forward(ps, inputs(step), false, false);
                assertArrayEquals(x.logits().toFloatArray(), y.logits().toFloatArray(), 0f);
                for (int l = 0; l < x.hiddenStates().size(); l++) {
                    assertArrayEquals(x.hiddenStates().get(l).toFloatArray(),
                            y.hiddenStates().get(l).toFloatArray(), 0f);
                }
            }
        }
    }

    @Test
    void bareModelsSaveWithoutPrefixAndLoadAsClassifierWithInitialisedHead() throws IOException {
        Path out = tmp.resolve("bare");
        try (NDManager m = root.newSubManager()) {
            BertModel bare = Students.random(tinyConfig(), BertHead.NONE, 3, m);
            BertModels.save(bare, out);
            try (SafetensorsReader r = SafetensorsReader.open(out.resolve("model.safetensors"))) {
                assertTrue(r.tensors().containsKey("embeddings.word_embeddings.weight"));
                assertTrue(r.tensors().keySet().stream().noneMatch(k -> k.startsWith("bert.")));
            }
            LoadedBert asNone = BertModels.load(out, m);
            assertEquals(BertHead.NONE, asNone.model().head());
            LoadedBert asClassifier = BertModels.load(out, m, BertHead.SEQUENCE_CLASSIFICATION);
            assertEquals(List.of("bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight",
                    "classifier.bias"), asClassifier.initialisedHeadTensors());
            float[] w = asClassifier.model().namedParameters().get("classifier.weight").getArray().toFloatArray();
            double sq = 0;
            for (float v : w) {
                sq += v * v;
            }
            double std = Math.sqrt(sq / w.length);
            assertTrue(std > 0.005 && std < 0.05, "classifier.weight std " + std + " should be near 0.02");
            assertArrayEquals(new float[3],
                    asClassifier.model().namedParameters().get("classifier.bias").getArray().toFloatArray());
        }
    }

    @Test
    void acceptsOldLayerNormNamesAndSkipsBuffersAndPretrainingHeads() throws IOException {
        Path out = tmp.resolve("legacy");
        Files.createDirectories(out);
        try (NDManager m = root.newSubManager()) {
            BertModel src = Students.random(tinyConfig(), BertHead.NONE, 4, m);
            SafetensorsWriter w = new SafetensorsWriter();
            for (Map.Entry<String, Parameter> en : src.namedParameters().entrySet()) {
                String name = "bert." + en.getKey().replace("LayerNorm.weight", "LayerNorm.gamma")
                        .replace("LayerNorm.bias", "LayerNorm.beta");
                w.add(name, en.getValue().getArray());
            }
            w.addLongs("bert.embeddings.position_ids", new long[] {1, 16}, new long[16], SafetensorsDType.I64);
            w.addFloats("cls.predictions.bias", new long[] {50}, new float[50], SafetensorsDType.F32);
            w.write(out.resolve("model.safetensors"));
            BertConfig.builder().vocabSize(50).hiddenSize(16).numHiddenLayers(2).numAttentionHeads(4)
                    .intermediateSize(32).maxPositionEmbeddings(16).numLabels(3)
                    .architectures(List.of("BertForPreTraining")).build().write(out.resolve("config.json"));
            LoadedBert loaded = BertModels.load(out, m);
            assertEquals(BertHead.NONE, loaded.model().head());
            assertEquals(List.of("cls.predictions.bias"), loaded.unusedTensors());
            assertArrayEquals(src.namedParameters().get("embeddings.LayerNorm.weight").getArray().toFloatArray(),
                    loaded.model().namedParameters().get("embeddings.LayerNorm.weight").getArray().toFloatArray());
        }
    }

    @Test
    void missingEncoderTensorIsAnErrorNamingFileAndTensor() throws IOException {
        Path out = writeVariant("missing", (name, w, arr) -> {
            if (!name.equals("bert.encoder.layer.1.output.dense.weight")) {
                w.add(name, arr);
            }
        });
        IOException e = assertLoadFails(out);
        assertTrue(e.getMessage().startsWith(out.resolve("model.safetensors").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("tensor 'bert.encoder.layer.1.output.dense.weight' is missing"),
                e.getMessage());
    }

    @Test
    void shapeDisagreeingWithConfigNamesFileTensorAndBothShapes() throws IOException {
        Path out = writeVariant("shape", (name, w, arr) -> {
            if (name.equals("bert.encoder.layer.0.intermediate.dense.weight")) {
                w.addFloats(name, new long[] {16, 32}, arr.toFloatArray(), SafetensorsDType.F32);
            } else {
                w.add(name, arr);
            }
        });
        IOException e = assertLoadFails(out);
        assertEquals(out.resolve("model.safetensors") + ": tensor 'bert.encoder.layer.0.intermediate.dense.weight': "
                + "shape [16, 32] disagrees with config.json (expected [32, 16])", e.getMessage());
    }

    @Test
    void truncatedCheckpointIsAnErrorNamingFileAndTensor() throws IOException {
        Path out = writeVariant("truncated", (name, w, arr) -> w.add(name, arr));
        Path file = out.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        IOException e = assertLoadFails(out);
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("tensor '"),
                e.getMessage());
    }

    @Test
    void pytorchBinOnlyFolderExplainsHowToConvert() throws IOException {
        Path out = tmp.resolve("bin");
        Files.createDirectories(out);
        tinyConfig().write(out.resolve("config.json"));
        Files.write(out.resolve("pytorch_model.bin"), new byte[] {0x50, 0x4B});
        IOException e = assertLoadFails(out);
        assertTrue(e.getMessage().contains("safetensors.torch import save_file"), e.getMessage());
        assertTrue(e.getMessage().contains(out.resolve("model.safetensors").toString()), e.getMessage());
    }

    @Test
    void bf16AndF16CheckpointsMatchTheirFloat32Twin() throws IOException {
        try (NDManager m = root.newSubManager()) {
            BertModel f32 = Students.random(tinyConfig(), BertHead.SEQUENCE_CLASSIFICATION, 21, m);
            for (SafetensorsDType dtype : List.of(SafetensorsDType.BF16, SafetensorsDType.F16)) {
                Path out = tmp.resolve(dtype.name());
                Files.createDirectories(out);
                SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
                for (Map.Entry<String, Parameter> en : f32.namedParameters().entrySet()) {
                    w.add(BertModels.savedName(en.getKey(), f32.head()), en.getValue().getArray(), dtype);
                }
                w.write(out.resolve("model.safetensors"));
                f32.config().toBuilder().architectures(List.of("BertForSequenceClassification")).build()
                        .write(out.resolve("config.json"));
                BertModel half = BertModels.load(out, m).model();
                for (Map.Entry<String, Parameter> en : f32.namedParameters().entrySet()) {
                    float[] a = en.getValue().getArray().toFloatArray();
                    float[] b = half.namedParameters().get(en.getKey()).getArray().toFloatArray();
                    for (int i = 0; i < a.length; i++) {
                        float rounded = dtype == SafetensorsDType.BF16
                                ? HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(a[i]))
                                : HalfFloats.f16ToFloat(HalfFloats.floatToF16(a[i]));
                        assertEquals(rounded, b[i], 0f, dtype + " " + en.getKey() + "[" + i + "]");
                    }
                }
                // outputs agree within the format's precision (relative 2^-8 for BF16, 2^-11 for F16, amplified)
                double tol = dtype == SafetensorsDType.BF16 ? 0.05 : 0.01;
                try (NDManager step = m.newSubManager()) {
                    ParameterStore ps = new ParameterStore(step, false);
                    float[] x = f32.forward(ps, inputs(step), false, false).lastHiddenState().toFloatArray();
                    float[] y = half.forward(ps, inputs(step), false, false).lastHiddenState().toFloatArray();
                    double maxDiff = 0;
                    for (int i = 0; i < x.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
                    }
                    assertTrue(maxDiff < tol, dtype + " max |diff| " + maxDiff);
                    assertNotEquals(0.0, maxDiff, "the half-precision twin should not be bit-identical");
                }
            }
        }
    }

    @Test
    void headTensorsOfAnotherHeadAreReportedUnused() throws IOException {
        try (NDManager m = root.newSubManager()) {
            LoadedBert loaded = BertModels.load(teacherDir(), m, BertHead.NONE);
            Set<String> unused = new TreeSet<>(loaded.unusedTensors());
            assertEquals(Set.of("bert.pooler.dense.bias", "bert.pooler.dense.weight", "classifier.bias",
                    "classifier.weight"), unused);
        }
    }

    private interface Variant {
        void write(String savedName, SafetensorsWriter w, NDArray array);
    }

    private Path writeVariant(String name, Variant variant) throws IOException {
        Path out = tmp.resolve(name);
        Files.createDirectories(out);
        try (NDManager m = root.newSubManager()) {
            BertModel model = Students.random(tinyConfig(), BertHead.SEQUENCE_CLASSIFICATION, 2, m);
            SafetensorsWriter w = new SafetensorsWriter();
            List<String> names = new ArrayList<>(model.namedParameters().keySet());
            for (String n : names) {
                variant.write(BertModels.savedName(n, model.head()), w, model.namedParameters().get(n).getArray());
            }
            w.write(out.resolve("model.safetensors"));
            model.config().toBuilder().architectures(List.of("BertForSequenceClassification")).build()
                    .write(out.resolve("config.json"));
        }
        return out;
    }

    private IOException assertLoadFails(Path dir) {
        try (NDManager m = root.newSubManager()) {
            IOException e = assertThrows(IOException.class, () -> BertModels.load(dir, m));
            SafetensorsReaderTest.assertOneLine(e);
            int before = m.getManagedArrays().size();
            assertEquals(0, before, "a failed load must not leave parameters behind");
            return e;
        }
    }
}
