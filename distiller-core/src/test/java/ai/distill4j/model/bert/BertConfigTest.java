package ai.distill4j.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertConfigTest {

    @TempDir
    Path dir;

    static final String MINILM = """
            {
              "_name_or_path": "nreimers/MiniLM-L6-H384-uncased",
              "architectures": ["BertModel"],
              "attention_probs_dropout_prob": 0.1,
              "gradient_checkpointing": false,
              "hidden_act": "gelu",
              "hidden_dropout_prob": 0.1,
              "hidden_size": 384,
              "initializer_range": 0.02,
              "intermediate_size": 1536,
              "layer_norm_eps": 1e-12,
              "max_position_embeddings": 512,
              "model_type": "bert",
              "num_attention_heads": 12,
              "num_hidden_layers": 6,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "transformers_version": "4.8.2",
              "type_vocab_size": 2,
              "use_cache": true,
              "vocab_size": 30522
            }
            """;

    @Test
    void readsAHuggingFaceConfigAndKeepsUnknownFields() throws IOException {
        Path f = Files.writeString(dir.resolve("config.json"), MINILM);
        BertConfig c = BertConfig.read(f);
        assertEquals(384, c.hiddenSize());
        assertEquals(6, c.numHiddenLayers());
        assertEquals(32, c.headSize());
        assertEquals(1e-12, c.layerNormEps());
        assertEquals(BertHead.NONE, c.impliedHead());
        assertEquals(2, c.numLabels(), "HF default");
        assertNull(c.classifierDropout());
        Path out = dir.resolve("out.json");
        c.write(out);
        JsonObject written = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertEquals("4.8.2", written.get("transformers_version").getAsString());
        assertTrue(written.get("use_cache").getAsBoolean());
        assertTrue(written.get("classifier_dropout").isJsonNull());
        assertEquals(c, BertConfig.read(out), "write then read gives the same config");
    }

    @Test
    void labelsComeFromId2Label() {
        BertConfig c = BertConfig.builder().id2label(Map.of(0, "neg", 1, "neutral", 2, "pos")).build();
        assertEquals(3, c.numLabels());
        assertEquals(2, c.label2id().get("pos"));
        JsonObject json = c.toJsonObject();
        assertEquals("neutral", json.getAsJsonObject("id2label").get("1").getAsString());
        BertConfig back = BertConfig.fromJsonObject(json);
        assertEquals(c, back);
    }

    @Test
    void validationErrorsNameFieldValueAndRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BertConfig.builder().hiddenSize(30).numAttentionHeads(4).build());
        assertEquals("config field 'hidden_size' = 30 must be a multiple of 'num_attention_heads' = 4",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BertConfig.builder().hiddenDropoutProb(1.5).build());
        assertEquals("config field 'hidden_dropout_prob' = 1.5 must be in [0, 1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BertConfig.builder().hiddenAct("swish").build());
        assertTrue(e.getMessage().startsWith("config field 'hidden_act' = 'swish' is not supported"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BertConfig.builder().vocabSize(0).build());
        assertEquals("config field 'vocab_size' = 0 must be > 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BertConfig.builder().padTokenId(30522).build());
        assertTrue(e.getMessage().contains("'pad_token_id' = 30522"), e.getMessage());
    }

    @Test
    void badFilesNameTheFileAndTheField() throws IOException {
        Path f = Files.writeString(dir.resolve("config.json"), MINILM.replace("\"hidden_size\": 384",
                "\"hidden_size\": \"big\""));
        IOException e = assertThrows(IOException.class, () -> BertConfig.read(f));
        assertEquals(f + ": config field 'hidden_size' must be an integer, got \"big\"", e.getMessage());
        Path g = Files.writeString(dir.resolve("c2.json"), MINILM.replace("\"bert\"", "\"roberta\""));
        e = assertThrows(IOException.class, () -> BertConfig.read(g));
        assertTrue(e.getMessage().contains("'model_type' = 'roberta'"), e.getMessage());
        Path h = Files.writeString(dir.resolve("c3.json"), "{ not json");
        e = assertThrows(IOException.class, () -> BertConfig.read(h));
        assertTrue(e.getMessage().startsWith(h + ": not valid JSON"), e.getMessage());
    }

    @Test
    void classifierHeadsFollowArchitectures() {
        assertEquals(BertHead.SEQUENCE_CLASSIFICATION, BertConfig.builder()
                .architectures(List.of("BertForSequenceClassification")).build().impliedHead());
        assertEquals(BertHead.TOKEN_CLASSIFICATION, BertConfig.builder()
                .architectures(List.of("BertForTokenClassification")).build().impliedHead());
        assertEquals(0.3, BertConfig.builder().classifierDropout(0.3).build().effectiveClassifierDropout());
        assertEquals(0.1, BertConfig.builder().build().effectiveClassifierDropout());
    }
}
