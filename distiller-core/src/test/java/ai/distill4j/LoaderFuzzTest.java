package ai.distill4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.Trajectories;
import ai.distill4j.distill.run.Examples;
import ai.distill4j.distill.run.LongSequences;
import ai.distill4j.distill.run.RunFile;
import ai.distill4j.model.bert.BertConfig;
import ai.distill4j.model.io.BertModels;
import ai.distill4j.model.io.LoadedBert;
import ai.distill4j.model.io.SafetensorsReader;
import ai.distill4j.model.io.TensorInfo;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws seeded random mutations of valid run files, data files, safetensors files and model configs at the loaders.
 * Every mutation must end in success, a {@link ValidationException} (bad content) or an {@link IOException} (a file
 * that cannot be read or is corrupt), never a NullPointerException, an index or class-cast error from deep inside,
 * an out-of-memory error or a JVM abort. The failures are listed with the seed and the mutation that caused them.
 * About 800 mutations in all, some 15 seconds.
 */
class LoaderFuzzTest {

    /** The base seed; another can be tried with {@code -Dfuzz.seed=N} (every failure message names it). */
    private static final long SEED = Long.getLong("fuzz.seed", 20_261_126L);

    @TempDir
    Path tmp;

    private Path run;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();

    @BeforeEach
    void copyBase() throws Exception {
        run = Trajectories.copy("trajectory-general", tmp);
    }

    private interface Load {
        void run() throws Exception;
    }

    /** Runs one loader call and classifies how it ended. */
    private void attempt(String what, String mutation, Load load) {
        try {
            load.run();
            count(what + ": accepted");
        } catch (ValidationException e) {
            count(what + ": ValidationException");
            if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().contains("\n")) {
                failures.add(what + " [" + mutation + "]: a validation message must be one non-empty line: "
                        + e.getMessage());
            }
        } catch (IOException e) {
            count(what + ": IOException");
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                failures.add(what + " [" + mutation + "]: an IOException without a message: " + e);
            }
        } catch (Throwable t) {
            StackTraceElement top = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
            failures.add(what + " [" + mutation + "]: " + t + " at " + top);
        }
    }

    private void count(String key) {
        outcomes.merge(key, 1, Integer::sum);
    }

    private void assertNoFailures(String what, int minRejected) {
        assertEquals(List.of(), failures, "seed " + SEED + ", outcomes " + outcomes);
        int rejected = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith(what)
                && !e.getKey().endsWith("accepted")).mapToInt(Map.Entry::getValue).sum();
        assertTrue(rejected >= minRejected, "too few mutations were rejected to be meaningful: " + outcomes);
    }

    // ------------------------------------------------------------------------------------------------ mutations

    private static final JsonElement[] ODD_VALUES = {
        JsonNull.INSTANCE, new JsonPrimitive(true), new JsonPrimitive(false), new JsonPrimitive(0),
        new JsonPrimitive(-1), new JsonPrimitive(1), new JsonPrimitive(2.5), new JsonPrimitive(-7.25),
        new JsonPrimitive(1e300), new JsonPrimitive(-1e300), new JsonPrimitive(2147483648L),
        new JsonPrimitive(1e20), new JsonPrimitive(""), new JsonPrimitive("x"), new JsonPrimitive("hidden_mse"),
        new JsonPrimitive("../../../../etc/passwd"), new JsonPrimitive("\u0000"), new JsonPrimitive("F32"),
        new JsonArray(), new JsonObject(), JsonParser.parseString("[1, 2, 3]"), JsonParser.parseString("{\"a\": 1}"),
        JsonParser.parseString("[[[[[[[[1]]]]]]]]"), JsonParser.parseString("[\"linear\", -3, 0]"),
        JsonParser.parseString("[0, 1e300]"), JsonParser.parseString("[9007199254740993, 1]")
    };

    /** A place in a JSON tree: a member of an object or an element of an array. */
    private record Slot(JsonElement parent, String key, int index) {}

    private static void slots(JsonElement e, List<Slot> out) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                out.add(new Slot(e, m.getKey(), -1));
                slots(m.getValue(), out);
            }
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(e, null, i));
                slots(a.get(i), out);
            }
        }
    }

    private static String typo(String key, Random r) {
        if (key.isEmpty()) {
            return "x";
        }
        StringBuilder b = new StringBuilder(key);
        int p = r.nextInt(b.length());
        switch (r.nextInt(3)) {
            case 0 -> b.deleteCharAt(p);
            case 1 -> b.insert(p, (char) ('a' + r.nextInt(26)));
            default -> b.setCharAt(p, (char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    /** Applies one structural mutation to a copy of a JSON tree; returns the copy and describes the change. */
    private static JsonElement mutateTree(JsonElement original, Random r, StringBuilder desc) {
        JsonElement root = original.deepCopy();
        List<Slot> slots = new ArrayList<>();
        slots(root, slots);
        if (slots.isEmpty()) {
            desc.append("replace root");
            return ODD_VALUES[r.nextInt(ODD_VALUES.length)].deepCopy();
        }
        Slot s = slots.get(r.nextInt(slots.size()));
        int op = r.nextInt(6);
        JsonElement value = ODD_VALUES[r.nextInt(ODD_VALUES.length)].deepCopy();
        if (s.key() != null) {
            JsonObject o = s.parent().getAsJsonObject();
            switch (op) {
                case 0 -> {
                    o.remove(s.key());
                    desc.append("delete ").append(s.key());
                }
                case 1 -> {
                    String t = typo(s.key(), r);
                    JsonElement v = o.remove(s.key());
                    o.add(t, v);
                    desc.append("rename ").append(s.key()).append(" -> ").append(t);
                }
                case 2 -> {
                    JsonArray wrapped = new JsonArray();
                    wrapped.add(o.get(s.key()));
                    o.add(s.key(), wrapped);
                    desc.append("wrap ").append(s.key()).append(" in a list");
                }
                default -> {
                    o.add(s.key(), value);
                    desc.append("set ").append(s.key()).append(" = ").append(value);
                }
            }
        } else {
            JsonArray a = s.parent().getAsJsonArray();
            switch (op) {
                case 0 -> {
                    a.remove(s.index());
                    desc.append("remove element ").append(s.index());
                }
                case 1 -> {
                    a.add(a.get(s.index()).deepCopy());
                    desc.append("duplicate element ").append(s.index());
                }
                default -> {
                    a.set(s.index(), value);
                    desc.append("set element ").append(s.index()).append(" = ").append(value);
                }
            }
        }
        return root;
    }

    /** Applies one byte-level mutation: delete, insert junk (invalid UTF-8 included), duplicate or truncate. */
    private static byte[] mutateBytes(byte[] in, Random r, StringBuilder desc) {
        int p = r.nextInt(in.length + 1);
        switch (r.nextInt(5)) {
            case 0 -> {
                int n = Math.min(in.length - Math.min(p, in.length), 1 + r.nextInt(20));
                desc.append("delete ").append(n).append(" bytes at ").append(p);
                byte[] out = new byte[in.length - n];
                System.arraycopy(in, 0, out, 0, p);
                System.arraycopy(in, p + n, out, p, in.length - p - n);
                return out;
            }
            case 1 -> {
                byte[][] junk = {{(byte) 0xFF, (byte) 0xFE}, {'{'}, {']'}, {'"'}, {'\n'}, {0}, {','},
                    "\"input_ids\":".getBytes(StandardCharsets.UTF_8), {(byte) 0xC3}, {'-'}, {'9', '9', '9'}};
                byte[] j = junk[r.nextInt(junk.length)];
                desc.append("insert ").append(Arrays.toString(j)).append(" at ").append(p);
                byte[] out = new byte[in.length + j.length];
                System.arraycopy(in, 0, out, 0, p);
                System.arraycopy(j, 0, out, p, j.length);
                System.arraycopy(in, p, out, p + j.length, in.length - p);
                return out;
            }
            case 2 -> {
                desc.append("truncate at ").append(p);
                return Arrays.copyOf(in, p);
            }
            case 3 -> {
                int q = Math.min(in.length, p + 1 + r.nextInt(40));
                desc.append("duplicate ").append(p).append("..").append(q);
                byte[] out = new byte[in.length + (q - p)];
                System.arraycopy(in, 0, out, 0, q);
                System.arraycopy(in, p, out, q, in.length - p);
                return out;
            }
            default -> {
                if (in.length == 0) {
                    return in;
                }
                int at = Math.min(p, in.length - 1);
                byte[] out = in.clone();
                out[at] = (byte) r.nextInt(256);
                desc.append("set byte ").append(at).append(" = ").append(out[at] & 0xFF);
                return out;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ loaders

    @Test
    void runFileMutationsEndInValidationOrIoErrors() throws Exception {
        Random r = new Random(SEED);
        Path file = run.resolve("run.json");
        byte[] original = Files.readAllBytes(file);
        JsonElement tree = JsonParser.parseString(new String(original, StandardCharsets.UTF_8));
        for (int i = 0; i < 250; i++) {
            StringBuilder desc = new StringBuilder("#" + i + " ");
            byte[] mutated = r.nextInt(10) < 7
                    ? mutateTree(tree, r, desc).toString().getBytes(StandardCharsets.UTF_8)
                    : mutateBytes(original, r, desc);
            Files.write(file, mutated);
            attempt("run file", desc.toString(), () -> RunFile.read(file));
        }
        Files.write(file, original);
        assertNoFailures("run file", 100);
    }

    @Test
    void dataFileMutationsEndInValidationOrIoErrors() throws Exception {
        Random r = new Random(SEED + 1);
        Path file = run.resolve("train.jsonl");
        byte[] original = Files.readAllBytes(file);
        List<String> lines = Files.readAllLines(file);
        BertConfig teacher = BertConfig.read(run.resolve("teacher").resolve("config.json"));
        for (int i = 0; i < 250; i++) {
            StringBuilder desc = new StringBuilder("#" + i + " ");
            byte[] mutated;
            if (r.nextInt(10) < 6) {
                List<String> copy = new ArrayList<>(lines);
                int line = r.nextInt(copy.size());
                desc.append("line ").append(line + 1).append(": ");
                copy.set(line, mutateTree(JsonParser.parseString(copy.get(line)), r, desc).toString());
                mutated = (String.join("\n", copy) + "\n").getBytes(StandardCharsets.UTF_8);
            } else {
                mutated = mutateBytes(original, r, desc);
            }
            Files.write(file, mutated);
            LongSequences policy = r.nextBoolean() ? LongSequences.REJECT : LongSequences.TRUNCATE;
            attempt("data file", desc.toString(), () -> Examples.readJsonLines(file)
                    .fitTo(teacher, "teacher", policy, true).batches(4));
        }
        Files.write(file, original);
        assertNoFailures("data file", 100);
    }

    @Test
    void safetensorsMutationsEndInIoErrors() throws Exception {
        Random r = new Random(SEED + 2);
        Path model = run.resolve("student");
        Path file = model.resolve(BertModels.WEIGHTS);
        byte[] original = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(original, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(original, 8, (int) headerLength, StandardCharsets.UTF_8);
        JsonElement tree = JsonParser.parseString(header);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < 200; i++) {
                StringBuilder desc = new StringBuilder("#" + i + " ");
                byte[] mutated;
                switch (r.nextInt(4)) {
                    case 0 -> { // a header-length field that lies
                        long[] lies = {-1, 0, 1, headerLength - 1, headerLength + 1, headerLength + r.nextInt(1000),
                            original.length, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, r.nextLong()};
                        long lie = lies[r.nextInt(lies.length)];
                        desc.append("header length ").append(lie);
                        mutated = original.clone();
                        ByteBuffer.wrap(mutated, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(lie);
                    }
                    case 1 -> { // a consistent length around a mutated header
                        byte[] h = mutateTree(tree, r, desc).toString().getBytes(StandardCharsets.UTF_8);
                        mutated = withHeader(h, Arrays.copyOfRange(original, 8 + (int) headerLength, original.length));
                    }
                    case 2 -> { // a corrupted header byte string
                        byte[] h = mutateBytes(header.getBytes(StandardCharsets.UTF_8), r, desc);
                        mutated = withHeader(h, Arrays.copyOfRange(original, 8 + (int) headerLength, original.length));
                    }
                    default -> mutated = mutateBytes(original, r, desc);
                }
                Files.write(file, mutated);
                attempt("safetensors", desc.toString(), () -> {
                    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                        for (TensorInfo t : reader.tensors().values()) {
                            if (t.dtype().isFloating()) {
                                reader.readFloat32(t.name());
                            } else {
                                reader.readLongs(t.name());
                            }
                        }
                    }
                });
                if (i % 4 == 0) {
                    attempt("safetensors model", desc.toString(), () -> {
                        try (NDManager m = manager.newSubManager()) {
                            LoadedBert b = BertModels.load(model, m);
                            b.model().namedParameters().size();
                        }
                    });
                }
            }
        }
        Files.write(file, original);
        assertNoFailures("safetensors", 100);
    }

    private static byte[] withHeader(byte[] header, byte[] data) {
        byte[] out = new byte[8 + header.length + data.length];
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        System.arraycopy(header, 0, out, 8, header.length);
        System.arraycopy(data, 0, out, 8 + header.length, data.length);
        return out;
    }

    @Test
    void modelConfigMutationsEndInIoErrors() throws Exception {
        Random r = new Random(SEED + 3);
        Path model = run.resolve("teacher");
        Path file = model.resolve(BertModels.CONFIG);
        byte[] original = Files.readAllBytes(file);
        JsonElement tree = JsonParser.parseString(new String(original, StandardCharsets.UTF_8));
        Consumer<byte[]> write = b -> {
            try {
                Files.write(file, b);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < 100; i++) {
                StringBuilder desc = new StringBuilder("#" + i + " ");
                write.accept(r.nextInt(10) < 8 ? mutateTree(tree, r, desc).toString().getBytes(StandardCharsets.UTF_8)
                        : mutateBytes(original, r, desc));
                attempt("config.json", desc.toString(), () -> {
                    try (NDManager m = manager.newSubManager()) {
                        BertModels.load(model, m);
                    }
                });
            }
        }
        Files.write(file, original);
        assertNoFailures("config.json", 30);
    }
}
