package ai.distill4j.examples.deploy;

import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.distill4j.model.onnx.BertOnnxExporter;
import ai.distill4j.model.onnx.BertOnnxImporter;
import ai.distill4j.model.onnx.BundledMiniLm;
import ai.distill4j.model.onnx.OnnxModel;
import ai.distill4j.model.onnx.OnnxModelReader;
import ai.distill4j.model.predict.Latency;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures ONNX Runtime latency of the teacher's original all-MiniLM-L6-v2 graph against a 3-layer student exported
 * by distill4j ({@code Students.fromTeacher(teacher, {1, 3, 5})}, then {@link BertOnnxExporter}), and of the full
 * teacher re-exported by distill4j (to separate the effect of fewer layers from that of a different graph).
 *
 * <p>Each graph runs on fixed random token ids (attention mask all ones) at one sequence length and a few batch
 * sizes; the report is the median of the timed runs after warm-up runs, the runs interleaved across the graphs so
 * that load changes hit all alike. ONNX Runtime runs with fixed intra-op threads, inter-op threads 1, sequential
 * execution and all graph optimizations. The report is a Markdown table plus the machine's load average before and
 * after, since a shared machine inflates absolute times (the ratios are what matter).
 *
 * <pre>
 * java -cp "distiller-examples/target/distiller-examples-0.1.0-SNAPSHOT.jar:$(cat distiller-examples/target/classpath.txt)" \
 *     ai.distill4j.examples.deploy.OnnxLatencyReport [--threads 2] [--runs 20] [--warmup 5] [--length 128] \
 *     [--batches 1,32] [--layers 1,3,5]
 * </pre>
 *
 * @since 0.1.0
 */
public final class OnnxLatencyReport {

    /** One graph to time. */
    private record Graph(String name, int layers, byte[] bytes) {}

    /** One timed configuration. */
    private record Row(String graph, int layers, double megabytes, int batch, double medianMs) {}

    private int threads = 2;
    private int runs = 20;
    private int warmup = 5;
    private int length = 128;
    private int[] batches = {1, 32};
    private int[] layers = {1, 3, 5};

    private OnnxLatencyReport() {}

    /**
     * Runs the report and prints it on stdout.
     *
     * @param args {@code --threads N}, {@code --runs N}, {@code --warmup N}, {@code --length N},
     *     {@code --batches B[,B...]}, {@code --layers L[,L...]} (0-based teacher layers of the student)
     * @throws Exception when a graph cannot be built or run
     */
    public static void main(String[] args) throws Exception {
        OnnxLatencyReport r = new OnnxLatencyReport();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--threads" -> r.threads = Integer.parseInt(v);
                case "--runs" -> r.runs = Integer.parseInt(v);
                case "--warmup" -> r.warmup = Integer.parseInt(v);
                case "--length" -> r.length = Integer.parseInt(v);
                case "--batches" -> r.batches = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--layers" -> r.layers = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --threads --runs --warmup --length --batches --layers");
            }
        }
        r.run(System.out);
    }

    private void run(PrintStream out) throws IOException, OrtException {
        String loadBefore = loadAverage();
        byte[] original;
        try (InputStream in = BundledMiniLm.openOnnx()) {
            original = in.readAllBytes();
        }
        Path dir = Files.createTempDirectory("distill4j-onnx-latency");
        Path studentFile = dir.resolve("student.onnx");
        Path teacherFile = dir.resolve("teacher-reexported.onnx");
        try {
            try (NDManager manager = NDManager.newBaseManager()) {
                OnnxModel onnx = OnnxModelReader.read(original, BundledMiniLm.ONNX_RESOURCE);
                BertModel teacher = BertOnnxImporter.builder()
                        .optNumAttentionHeads(BundledMiniLm.NUM_ATTENTION_HEADS).build()
                        .load(onnx, manager).model();
                BertOnnxExporter exporter = BertOnnxExporter.builder().build();
                exporter.export(Students.fromTeacher(teacher, layers, manager), studentFile);
                exporter.export(teacher, teacherFile);
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            List<Graph> graphs = List.of(
                    new Graph("all-MiniLM-L6-v2, original graph", 6, original),
                    new Graph("teacher re-exported by distill4j", 6, Files.readAllBytes(teacherFile)),
                    new Graph("student " + Arrays.toString(layers) + " exported by distill4j", layers.length,
                            Files.readAllBytes(studentFile)));
            List<Row> rows = time(env, graphs);
            print(out, rows, loadBefore, loadAverage());
        } finally {
            Files.deleteIfExists(studentFile);
            Files.deleteIfExists(teacherFile);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Times every graph at every batch size. The runs are interleaved (graph 1, graph 2, graph 3, graph 1, ...) so
     * that a change in the machine's load during the measurement hits all graphs alike.
     */
    private List<Row> time(OrtEnvironment env, List<Graph> graphs) throws OrtException {
        List<OrtSession> sessions = new ArrayList<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            for (Graph g : graphs) {
                sessions.add(env.createSession(g.bytes(), opts));
            }
            List<Row> rows = new ArrayList<>();
            for (int b : batches) {
                List<Map<String, OnnxTensor>> inputs = new ArrayList<>();
                try {
                    for (OrtSession session : sessions) {
                        inputs.add(inputs(env, session, b));
                    }
                    double[][] ms = new double[graphs.size()][runs];
                    for (int r = -warmup; r < runs; r++) {
                        for (int g = 0; g < graphs.size(); g++) {
                            long t0 = System.nanoTime();
                            try (OrtSession.Result ignored = sessions.get(g).run(inputs.get(g))) {
                                long t1 = System.nanoTime();
                                if (r >= 0) {
                                    ms[g][r] = (t1 - t0) / 1e6;
                                }
                            }
                        }
                    }
                    for (int g = 0; g < graphs.size(); g++) {
                        Graph graph = graphs.get(g);
                        rows.add(new Row(graph.name(), graph.layers(), graph.bytes().length / 1e6, b,
                                Latency.median(ms[g])));
                    }
                } finally {
                    inputs.forEach(m -> m.values().forEach(OnnxTensor::close));
                }
            }
            return rows;
        } finally {
            for (OrtSession s : sessions) {
                s.close();
            }
        }
    }

    /** input_ids [CLS] random ids [SEP], attention_mask ones, token_type_ids zeros; only the inputs the graph has. */
    private Map<String, OnnxTensor> inputs(OrtEnvironment env, OrtSession session, int batch) throws OrtException {
        SplittableRandom rng = new SplittableRandom(42);
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < length; t++) {
                int k = i * length + t;
                ids[k] = t == 0 ? 101 : t == length - 1 ? 102 : 1000 + rng.nextInt(29000);
                mask[k] = 1;
            }
        }
        long[] shape = {batch, length};
        Map<String, long[]> all = Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types);
        Map<String, OnnxTensor> inputs = new HashMap<>();
        for (String name : session.getInputNames()) {
            long[] data = all.get(name);
            if (data == null) {
                throw new IllegalStateException("the graph has an unexpected input '" + name + "'");
            }
            inputs.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape));
        }
        return inputs;
    }

    private void print(PrintStream out, List<Row> rows, String loadBefore, String loadAfter) {
        out.printf(Locale.ROOT, "ONNX Runtime %s, sequence length %d, intra-op threads %d, median of %d runs after %d"
                + " warm-up runs%n", OrtEnvironment.getEnvironment().getVersion(), length, threads, runs, warmup);
        out.printf(Locale.ROOT, "machine: %d cores, %s; load average before: %s, after: %s%n%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), loadBefore, loadAfter);
        out.println("| graph | layers | size (MB) | batch | median ms / batch | ms / example | vs original |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            double base = rows.stream().filter(x -> x.batch() == r.batch()).findFirst().orElseThrow().medianMs();
            out.printf(Locale.ROOT, "| %s | %d | %.1f | %d | %.1f | %.2f | %.2fx |%n", r.graph(), r.layers(),
                    r.megabytes(), r.batch(), r.medianMs(), r.medianMs() / r.batch(), base / r.medianMs());
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
