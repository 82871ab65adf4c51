package ai.distill4j.cli;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.io.BertModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j demo}: imports the bundled all-MiniLM-L6-v2 teacher into a cache folder (once) and encodes a
 * few built-in sentences, printing the model's dimensions and the cosine similarities of the sentences'
 * mean-pooled embeddings (the sentence embedding all-MiniLM-L6-v2 was trained for).
 *
 * @since 0.1.0
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Import the bundled all-MiniLM-L6-v2 teacher and compare a few sentences.",
            "Imports the teacher once into the cache folder, encodes built-in sentences",
            "and prints the model's dimensions and the cosine similarities of the",
            "mean-pooled sentence embeddings."
        },
        footer = {"", "Examples:", "  distill4j demo", "  distill4j demo --cache runs/teacher"})
public final class DemoCommand implements Callable<Integer> {

    /** The built-in sentences: three topics, two sentences each. */
    static final List<String> SENTENCES = List.of(
            "The cat sits on the mat.",
            "A kitten is sleeping on the rug.",
            "Stock markets fell sharply after the announcement.",
            "Shares dropped as investors reacted to the news.",
            "Knowledge distillation trains a small student to imitate a large teacher.",
            "A compact model learns from the outputs of a bigger one.");

    @Spec
    private CommandSpec spec;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where the imported teacher is kept (default: $DISTILL4J_CACHE, else"
                    + " ~/.cache/distill4j/all-minilm-l6-v2).")
    private Path cache;

    /** Picocli instantiates this. */
    public DemoCommand() {}

    static Path defaultCache() {
        String env = System.getenv("DISTILL4J_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "distill4j", "all-minilm-l6-v2");
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = cache != null ? cache : defaultCache();
        boolean present = Files.isRegularFile(dir.resolve(BertModels.CONFIG))
                && Files.isRegularFile(dir.resolve(BertModels.WEIGHTS))
                && Files.isRegularFile(dir.resolve(BertModels.TOKENIZER));
        if (present) {
            err.println("distill4j: using the teacher cached in " + dir);
        } else {
            long t0 = System.nanoTime();
            ImportOnnxCommand.importBundled(dir, err);
            err.printf("distill4j: imported in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        try (SentenceEncoder encoder = SentenceEncoder.open(dir, 128)) {
            BertConfig c = encoder.config();
            out.printf("teacher: all-MiniLM-L6-v2 from %s%n", dir);
            out.printf("  layers=%d hidden=%d heads=%d intermediate=%d vocab=%d%n", c.numHiddenLayers(),
                    c.hiddenSize(), c.numAttentionHeads(), c.intermediateSize(), c.vocabSize());
            int n = SENTENCES.size();
            float[][] emb = new float[n][];
            long t0 = System.nanoTime();
            out.println("sentences (tokens):");
            for (int i = 0; i < n; i++) {
                SentenceEncoder.Encoded e = encoder.encode(SENTENCES.get(i));
                emb[i] = meanPooledUnit(e.hidden());
                out.printf("  [%d] (%2d) %s%n", i, e.ids().length, SENTENCES.get(i));
            }
            double msPer = (System.nanoTime() - t0) / 1e6 / n;
            out.println("cosine similarity of the mean-pooled embeddings:");
            StringBuilder header = new StringBuilder("      ");
            for (int j = 0; j < n; j++) {
                header.append(String.format("   [%d]", j));
            }
            out.println(header);
            for (int i = 0; i < n; i++) {
                StringBuilder row = new StringBuilder(String.format("  [%d] ", i));
                for (int j = 0; j < n; j++) {
                    row.append(String.format(" %5.2f", dot(emb[i], emb[j])));
                }
                out.println(row);
            }
            out.println("nearest neighbour of each sentence:");
            for (int i = 0; i < n; i++) {
                int best = -1;
                for (int j = 0; j < n; j++) {
                    if (j != i && (best < 0 || dot(emb[i], emb[j]) > dot(emb[i], emb[best]))) {
                        best = j;
                    }
                }
                out.printf("  [%d] -> [%d] (%.2f)%n", i, best, dot(emb[i], emb[best]));
            }
            out.printf("%.1f ms per sentence; next: docs/cli.md%n", msPer);
        }
        return 0;
    }

    /** Mean over tokens, then L2-normalised (sentence-transformers' pooling for all-MiniLM-L6-v2). */
    static float[] meanPooledUnit(float[][] hidden) {
        int h = hidden[0].length;
        double[] sum = new double[h];
        for (float[] row : hidden) {
            for (int k = 0; k < h; k++) {
                sum[k] += row[k];
            }
        }
        double norm = 0;
        for (int k = 0; k < h; k++) {
            sum[k] /= hidden.length;
            norm += sum[k] * sum[k];
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] out = new float[h];
        for (int k = 0; k < h; k++) {
            out[k] = (float) (sum[k] / norm);
        }
        return out;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (double) a[k] * b[k];
        }
        return s;
    }
}
