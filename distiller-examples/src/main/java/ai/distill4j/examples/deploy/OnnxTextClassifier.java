package ai.distill4j.examples.deploy;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.onnx.BertOnnxExporter;
import ai.distill4j.model.predict.Prediction;
import ai.distill4j.model.text.BertTokenizer;
import ai.distill4j.model.text.TokenizedBatch;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labels texts with a classifier exported by {@code distill4j export-onnx}, on ONNX Runtime: the deployment path
 * that needs neither PyTorch nor DJL's engine at inference time, only ONNX Runtime and a tokenizer. It reads the
 * class names from the {@code config.json} that the exporter stores in the graph's metadata
 * ({@value BertOnnxExporter#CONFIG_METADATA_KEY}), so the {@code .onnx} file and the model's {@code tokenizer.json}
 * are all it needs.
 *
 * <pre>{@code
 * try (OnnxTextClassifier c = OnnxTextClassifier.open(Path.of("runs/student.onnx"),
 *         Path.of("runs/student/tokenizer.json"), 128, 2)) {
 *     List<Prediction> p = c.predict(List.of("Win a FREE cruise now!", "Minutes of Monday's meeting"));
 * }
 * }</pre>
 *
 * <p>One call is one batch, padded to its longest text. {@code OrtSession.run} may be called from several threads;
 * this class is as thread-safe as the tokenizer it wraps (DJL's HuggingFace tokenizer is).
 *
 * @since 0.1.0
 */
public final class OnnxTextClassifier implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final BertTokenizer tokenizer;
    private final List<String> labels;

    private OnnxTextClassifier(OrtEnvironment env, OrtSession session, BertTokenizer tokenizer, List<String> labels) {
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.labels = labels;
    }

    /**
     * Opens an exported classifier.
     *
     * @param onnxFile a graph written by {@code export-onnx} with the {@code logits} output
     * @param tokenizerJson the model folder's {@code tokenizer.json}
     * @param maxLength the truncation length in tokens, special tokens included
     * @param threads ONNX Runtime intra-op threads (0 lets ONNX Runtime choose)
     * @return the classifier
     * @throws IOException when a file cannot be read or the graph has no logits or no distill4j config
     */
    public static OnnxTextClassifier open(Path onnxFile, Path tokenizerJson, int maxLength, int threads)
            throws IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        BertTokenizer tokenizer = null;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnxFile.toString(), opts);
            if (!session.getOutputNames().contains("logits")) {
                throw new IOException(onnxFile + ": the graph has no 'logits' output; export the classifier with"
                        + " 'distill4j export-onnx --head classification'");
            }
            String config = session.getMetadata().getCustomMetadata().get(BertOnnxExporter.CONFIG_METADATA_KEY);
            if (config == null) {
                throw new IOException(onnxFile + ": no '" + BertOnnxExporter.CONFIG_METADATA_KEY + "' metadata;"
                        + " the class names come from a graph exported by distill4j");
            }
            BertConfig c = BertConfig.fromJsonObject(JsonParser.parseString(config).getAsJsonObject());
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < c.numLabels(); i++) {
                labels.add(c.id2label().get(i));
            }
            tokenizer = BertTokenizer.builder(tokenizerJson).maxLength(maxLength).build();
            return new OnnxTextClassifier(env, session, tokenizer, List.copyOf(labels));
        } catch (OrtException e) {
            close(session, tokenizer);
            throw new IOException(onnxFile + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            close(session, tokenizer);
            throw e;
        }
    }

    private static void close(OrtSession session, BertTokenizer tokenizer) {
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException ignored) {
            // already failing
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    /**
     * Labels a batch of texts in one ONNX Runtime call.
     *
     * @param texts the texts
     * @return one prediction per text, in order
     * @throws OrtException when ONNX Runtime fails
     */
    public List<Prediction> predict(List<String> texts) throws OrtException {
        if (texts.isEmpty()) {
            return List.of();
        }
        TokenizedBatch batch = tokenizer.encode(texts);
        long[] shape = {batch.size(), batch.sequenceLength()};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(flatten(batch.ids())), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(flatten(batch.mask())), shape));
            inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(flatten(batch.types())), shape));
            try (OrtSession.Result result = session.run(inputs, java.util.Set.of("logits"))) {
                float[][] logits = (float[][]) result.get("logits").orElseThrow().getValue();
                List<Prediction> out = new ArrayList<>(logits.length);
                for (float[] row : logits) {
                    out.add(toPrediction(row));
                }
                return out;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private Prediction toPrediction(float[] logits) {
        int best = 0;
        for (int j = 1; j < logits.length; j++) {
            if (logits[j] > logits[best]) {
                best = j;
            }
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int j = 0; j < logits.length; j++) {
            e[j] = Math.exp(logits[j] - logits[best]);
            sum += e[j];
        }
        List<Double> probs = new ArrayList<>(logits.length);
        for (double v : e) {
            probs.add(v / sum);
        }
        return new Prediction(best, labels.get(best), probs, labels);
    }

    private static long[] flatten(long[][] rows) {
        int s = rows[0].length;
        long[] out = new long[rows.length * s];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * s, s);
        }
        return out;
    }

    /**
     * Returns the class names, indexed by class id.
     *
     * @return an unmodifiable list
     */
    public List<String> labels() {
        return labels;
    }

    /** Releases the session and the tokenizer. */
    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            tokenizer.close();
        }
    }
}
