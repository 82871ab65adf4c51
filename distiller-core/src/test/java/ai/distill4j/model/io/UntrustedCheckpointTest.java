package ai.distill4j.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.distill4j.distill.Trajectories;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints from outside are untrusted: sizes declared in a safetensors header or a config.json are checked
 * against the file before anything is allocated, and nothing in the code base deserializes Java objects or pickles.
 */
class UntrustedCheckpointTest {

    /** Far below what the refused sizes would take; leaves room for parsing and first-use class loading. */
    private static final long LITTLE = 16L << 20;

    @TempDir
    Path tmp;

    /** Bytes allocated on the Java heap by this thread while running {@code body}. */
    private static long allocatedBy(IoBody body) throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        body.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    private interface IoBody {
        void run() throws IOException;
    }

    private static void header(Path file, long declaredLength, byte[] header, long fileLength) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(fileLength); // sparse: no disk blocks are written for the gap
            byte[] len = new byte[8];
            ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredLength);
            f.seek(0);
            f.write(len);
            f.write(header);
        }
    }

    @Test
    void aHugeDeclaredHeaderLengthIsRefusedWithoutAllocatingIt() throws IOException {
        // 150 MB of header inside a 200 MB (sparse) file: it fits the file, but not the 100 MB limit
        Path file = tmp.resolve("huge-header.safetensors");
        header(file, 150L << 20, "{".getBytes(StandardCharsets.UTF_8), 200L << 20);
        IOException[] e = new IOException[1];
        long allocated = allocatedBy(() -> e[0] = assertThrows(IOException.class, () -> SafetensorsReader.open(file)));
        assertEquals(file + ": corrupt safetensors header: header length 157286400 exceeds the 104857600-byte limit",
                e[0].getMessage());
        assertTrue(allocated < LITTLE, "allocated " + allocated + " bytes for a refused header");

        Path lie = tmp.resolve("lying-length.safetensors");
        header(lie, Long.MAX_VALUE - 7, "{}".getBytes(StandardCharsets.UTF_8), 64);
        long small = allocatedBy(() -> assertThrows(IOException.class, () -> SafetensorsReader.open(lie)));
        assertTrue(small < LITTLE, "allocated " + small + " bytes for a refused header");
    }

    @Test
    void aShapeNeedingExabytesIsRefusedBeforeReadingData() throws IOException {
        Path file = tmp.resolve("huge-shape.safetensors");
        byte[] h = "{\"w\": {\"dtype\": \"F32\", \"shape\": [1000000000, 1000000000], \"data_offsets\": [0, 16]}}"
                .getBytes(StandardCharsets.UTF_8);
        header(file, h.length, h, 8 + h.length + 16);
        IOException[] e = new IOException[1];
        long allocated = allocatedBy(() -> e[0] = assertThrows(IOException.class, () -> SafetensorsReader.open(file)));
        assertEquals(file + ": tensor 'w': F32 [1000000000, 1000000000] needs 4000000000000000000 bytes but "
                + "data_offsets [0, 16] hold 16", e[0].getMessage());
        assertTrue(allocated < LITTLE, "allocated " + allocated);
    }

    @Test
    void aConfigDeclaringAModelLargerThanItsWeightsIsRefusedBeforeAllocating() throws Exception {
        Path model = Trajectories.copy("trajectory-general", tmp).resolve("student");
        Path config = model.resolve(BertModels.CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"vocab_size\": 120", "\"vocab_size\": 30000000")
                .replace("\"hidden_size\": 32", "\"hidden_size\": 1024").replace("\"num_attention_heads\": 4",
                        "\"num_attention_heads\": 16"));
        try (NDManager m = NDManager.newBaseManager()) {
            IOException[] e = new IOException[1];
            long allocated = allocatedBy(() -> e[0] = assertThrows(IOException.class, () -> BertModels.load(model, m)));
            assertTrue(e[0].getMessage().startsWith(config + ": declares an encoder of "), e[0].getMessage());
            assertTrue(e[0].getMessage().endsWith("bytes of weights could hold; the config does not belong to these "
                    + "weights"), e[0].getMessage());
            assertTrue(allocated < LITTLE, "allocated " + allocated);
            assertEquals(0, m.getManagedArrays().size(), "no native array was created");
        }
    }

    @Test
    void aWeightStoredAsIntegersIsRefused() throws Exception {
        Path model = Trajectories.copy("trajectory-general", tmp).resolve("student");
        Path weights = model.resolve(BertModels.WEIGHTS);
        byte[] all = Files.readAllBytes(weights);
        int len = (int) ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String h = new String(all, 8, len, StandardCharsets.UTF_8);
        // F32 [32] is 128 bytes, as is I32 [32]: a consistent header whose LayerNorm bias claims to be integers
        String changed = h.replaceFirst("\"bert.embeddings.LayerNorm.bias\": \\{\"dtype\": \"F32\"",
                "\"bert.embeddings.LayerNorm.bias\": {\"dtype\": \"I32\"");
        assertTrue(!changed.equals(h), h.substring(0, 200));
        Files.write(weights, concat(all, changed));
        try (NDManager m = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class, () -> BertModels.load(model, m));
            assertEquals(weights + ": tensor 'bert.embeddings.LayerNorm.bias': dtype I32 is not a floating-point "
                    + "type", e.getMessage());
        }
    }

    private static byte[] concat(byte[] file, String newHeader) {
        int len = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] h = newHeader.getBytes(StandardCharsets.UTF_8);
        assertEquals(len, h.length, "the edit keeps the header length");
        byte[] out = file.clone();
        System.arraycopy(h, 0, out, 8, h.length);
        return out;
    }

    @Test
    void noCompiledClassDeserializesJavaObjects() throws IOException, URISyntaxException {
        Path classes = Path.of(BertModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> offenders = new ArrayList<>();
        int scanned = 0;
        byte[] needle = "java/io/ObjectInputStream".getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> walk = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".class"))::iterator) {
                scanned++;
                if (indexOf(Files.readAllBytes(p), needle) >= 0) {
                    offenders.add(p);
                }
            }
        }
        assertTrue(scanned > 100, "scanned only " + scanned + " classes in " + classes);
        assertEquals(List.of(), offenders, "classes referring to ObjectInputStream");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
