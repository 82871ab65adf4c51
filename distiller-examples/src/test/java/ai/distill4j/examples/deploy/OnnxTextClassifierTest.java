package ai.distill4j.examples.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.cli.CliRunAccess;
import ai.distill4j.model.predict.Prediction;
import ai.distill4j.model.predict.TextClassifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTextClassifierTest {

    @TempDir
    Path tmp;

    @Test
    void anExportedClassifierGivesTheSameLabelsAndProbabilitiesOnOnnxRuntime() throws Exception {
        Path model = CliRunAccess.writeKnownAnswerModel(tmp.resolve("model"));
        Path onnx = tmp.resolve("model.onnx");
        assertEquals(0, CliRunAccess.run("export-onnx", "--model", model.toString(), "--output", onnx.toString()));
        List<String> texts = List.of("Minutes of the meeting", "You won the lottery!", "", "see you at lunch",
                "a lottery " + "word ".repeat(40));
        try (TextClassifier djl = TextClassifier.load(model);
                OnnxTextClassifier ort = OnnxTextClassifier.open(onnx, model.resolve("tokenizer.json"), 128, 1)) {
            assertEquals(List.of("ham", "spam"), ort.labels());
            List<Prediction> expected = djl.predict(texts);
            List<Prediction> actual = ort.predict(texts);
            assertEquals(List.of("ham", "spam", "ham", "ham", "spam"),
                    actual.stream().map(Prediction::label).toList());
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(expected.get(i).labelId(), actual.get(i).labelId(), "text " + i);
                assertEquals(expected.get(i).probability(1), actual.get(i).probability(1), 1e-5, "text " + i);
            }
            assertEquals(List.of(), ort.predict(List.of()));
        }
    }

    @Test
    void aGraphWithoutLogitsIsRejectedWithTheFix() throws Exception {
        Path model = CliRunAccess.writeKnownAnswerModel(tmp.resolve("model"));
        Path onnx = tmp.resolve("encoder.onnx");
        assertEquals(0, CliRunAccess.run("export-onnx", "--model", model.toString(), "--output", onnx.toString(),
                "--head", "none"));
        IOException e = assertThrows(IOException.class,
                () -> OnnxTextClassifier.open(onnx, model.resolve("tokenizer.json"), 128, 1));
        assertTrue(e.getMessage().contains("--head classification"), e.getMessage());
    }
}
