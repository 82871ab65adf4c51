package ai.distill4j.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.bert.BertHead;
import ai.distill4j.model.bert.BertModel;
import ai.distill4j.model.bert.Students;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Throws seeded random mutations of a valid exported BERT graph (bit flips, overwritten bytes, huge varints,
 * truncations, spliced and duplicated ranges) at {@link OnnxModelReader} and {@link BertOnnxImporter}. Every
 * mutation must end in success, an {@link IOException} (not ONNX, corrupt) or an {@link IllegalArgumentException}
 * (a graph the importer does not understand), each with a message: never a NullPointerException, an index or
 * class-cast error from deep inside, an out-of-memory error, a negative-size allocation or a JVM abort. ONNX files
 * come from users and the web, so the reader is an attack surface; lengths in the wire format are checked before
 * anything is allocated.
 */
class OnnxReaderFuzzTest {

    /** The base seed; another can be tried with {@code -Dfuzz.seed=N} (failure messages name it). */
    private static final long SEED = Long.getLong("fuzz.seed", 20_261_126L);

    private static final int MUTATIONS = 600;

    private interface Mutation {
        byte[] apply(byte[] valid, Random r);
    }

    private static final Map<String, Mutation> MUTATORS = new TreeMap<>(Map.of(
            "flip one bit", (v, r) -> {
                byte[] b = v.clone();
                int i = r.nextInt(b.length);
                b[i] ^= (byte) (1 << r.nextInt(8));
                return b;
            },
            "overwrite bytes", (v, r) -> {
                byte[] b = v.clone();
                int n = 1 + r.nextInt(8);
                for (int k = 0; k < n; k++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            },
            "write a huge varint", (v, r) -> {
                byte[] b = v.clone();
                int at = r.nextInt(Math.max(1, b.length - 10));
                for (int k = 0; k < 9; k++) {
                    b[at + k] = (byte) 0xff; // continuation bits: a length of 2^63-ish
                }
                b[at + 9] = 0x01;
                return b;
            },
            "truncate", (v, r) -> Arrays.copyOf(v, r.nextInt(v.length)),
            "cut a range out", (v, r) -> {
                int from = r.nextInt(v.length);
                int to = Math.min(v.length, from + 1 + r.nextInt(64));
                byte[] b = new byte[v.length - (to - from)];
                System.arraycopy(v, 0, b, 0, from);
                System.arraycopy(v, to, b, from, v.length - to);
                return b;
            },
            "duplicate a range", (v, r) -> {
                int from = r.nextInt(v.length);
                int len = Math.min(v.length - from, 1 + r.nextInt(64));
                int at = r.nextInt(v.length);
                byte[] b = new byte[v.length + len];
                System.arraycopy(v, 0, b, 0, at);
                System.arraycopy(v, from, b, at, len);
                System.arraycopy(v, at, b, at + len, v.length - at);
                return b;
            }));

    @Test
    void mutatedGraphsAreReadOrRejectedWithAMessageNeverCrash() throws Exception {
        BertConfig config = BertConfig.builder().vocabSize(60).hiddenSize(16).numHiddenLayers(2)
                .numAttentionHeads(2).intermediateSize(24).maxPositionEmbeddings(20).numLabels(2).build();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = Students.random(config, BertHead.SEQUENCE_CLASSIFICATION, 3, m);
            byte[] valid = OnnxModelWriter.toBytes(BertOnnxExporter.builder().optLogits(true).build().toOnnx(model));
            assertEquals(BertHead.SEQUENCE_CLASSIFICATION,
                    BertOnnxImporter.builder().build().load(OnnxModelReader.read(valid, "valid"), m).head());
            Random r = new Random(SEED);
            List<String> names = new ArrayList<>(MUTATORS.keySet());
            for (int i = 0; i < MUTATIONS; i++) {
                String name = names.get(r.nextInt(names.size()));
                byte[] mutated = MUTATORS.get(name).apply(valid, r);
                String what = name + " #" + i + " (seed " + SEED + ")";
                try (NDManager step = m.newSubManager()) {
                    OnnxModel read = OnnxModelReader.read(mutated, "mutated");
                    BertOnnxImporter.builder().build().load(read, step);
                    outcomes.merge(name + ": accepted", 1, Integer::sum);
                } catch (IOException | IllegalArgumentException e) {
                    outcomes.merge(name + ": " + e.getClass().getSimpleName(), 1, Integer::sum);
                    if (e.getMessage() == null || e.getMessage().isBlank()) {
                        failures.add(what + ": " + e.getClass().getSimpleName() + " without a message");
                    }
                } catch (Throwable t) {
                    StackTraceElement top = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
                    failures.add(what + ": " + t + " at " + top);
                }
            }
        }
        System.out.println("ONNX fuzz outcomes: " + outcomes);
        assertEquals(List.of(), failures, "outcomes " + outcomes);
        int rejected = outcomes.entrySet().stream().filter(e -> !e.getKey().endsWith("accepted"))
                .mapToInt(Map.Entry::getValue).sum();
        assertTrue(rejected >= MUTATIONS / 4, "too few mutations were rejected to be meaningful: " + outcomes);
    }
}
