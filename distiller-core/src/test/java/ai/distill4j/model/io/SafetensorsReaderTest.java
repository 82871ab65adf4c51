package ai.distill4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {

    @TempDir
    Path dir;

    private Path sample() throws IOException {
        Path f = dir.resolve("sample.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .addFloats("b.weight", new long[] {2, 3}, new float[] {1, -2, 3.5f, 0.25f, -0f, 1e-3f},
                        SafetensorsDType.F32)
                .addFloats("a.half", new long[] {3}, new float[] {1, -0.5f, 65504}, SafetensorsDType.F16)
                .addFloats("c.brain", new long[] {2}, new float[] {1.5f, -3.140625f}, SafetensorsDType.BF16)
                .addLongs("ids", new long[] {1, 3}, new long[] {0, 1, 1L << 40}, SafetensorsDType.I64)
                .addLongs("small", new long[] {2}, new long[] {-7, 9}, SafetensorsDType.I32)
                .write(f);
        return f;
    }

    @Test
    void readsBackEveryDtypeTheWriterWrote() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(sample())) {
            assertEquals("pt", r.metadata().get("format"));
            assertArrayEquals(new float[] {1, -2, 3.5f, 0.25f, -0f, 1e-3f}, r.readFloats("b.weight"));
            assertArrayEquals(new float[] {1, -0.5f, 65504}, r.readFloats("a.half"));
            assertArrayEquals(new float[] {1.5f, -3.140625f}, r.readFloats("c.brain"));
            assertArrayEquals(new long[] {0, 1, 1L << 40}, r.readLongs("ids"));
            assertArrayEquals(new long[] {-7, 9}, r.readLongs("small"));
            assertEquals(SafetensorsDType.F16, r.info("a.half").dtype());
            assertArrayEquals(new long[] {2, 3}, r.info("b.weight").shape());
        }
    }

    @Test
    void writerFollowsTheReferenceLayout() throws IOException {
        Path f = sample();
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header length must be padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"}"), header);
        assertTrue(header.endsWith("}") || header.stripTrailing().endsWith("}"), header);
        // widest dtype first (I64, F32, I32, BF16, F16), then by name; offsets contiguous from 0
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            List<String> order = List.copyOf(r.tensors().keySet());
            assertEquals(List.of("ids", "b.weight", "small", "c.brain", "a.half"), order);
            long expectedBegin = 0;
            for (TensorInfo t : r.tensors().values()) {
                assertEquals(expectedBegin, t.begin(), t.name());
                expectedBegin = t.end();
            }
            assertEquals(bytes.length - 8 - n, expectedBegin, "data must end at the end of the file");
        }
    }

    @Test
    void readsIntoNdArraysWithoutTouchingBf16InDjl() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(sample()); NDManager m = NDManager.newBaseManager()) {
            NDArray brain = r.read("c.brain", m);
            assertEquals(DataType.FLOAT32, brain.getDataType());
            assertArrayEquals(new float[] {1.5f, -3.140625f}, brain.toFloatArray());
            NDArray ids = r.read("ids", m);
            assertEquals(DataType.INT64, ids.getDataType());
            assertEquals(new Shape(1, 3), ids.getShape());
            assertEquals("ids", ids.getName());
        }
    }

    @Test
    void truncatedFileNamesFileAndTensor() throws IOException {
        Path f = sample();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }
        IOException e = assertThrows(IOException.class, () -> SafetensorsReader.open(f));
        assertOneLine(e);
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("tensor 'a.half'") && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    @Test
    void headerLengthLargerThanTheFileIsRejectedBeforeAllocating() throws IOException {
        Path f = dir.resolve("huge.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(Long.MAX_VALUE / 2).put("{}      ".getBytes(StandardCharsets.US_ASCII));
        Files.write(f, b.array());
        IOException e = assertThrows(IOException.class, () -> SafetensorsReader.open(f));
        assertOneLine(e);
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("header length"),
                e.getMessage());
    }

    @Test
    void corruptHeaderNamesTheFile() throws IOException {
        Path f = dir.resolve("corrupt.safetensors");
        byte[] json = "{\"x\": {\"dtype\": \"F32\", \"shape\": [1], ".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).putFloat(1f);
        Files.write(f, b.array());
        IOException e = assertThrows(IOException.class, () -> SafetensorsReader.open(f));
        assertOneLine(e);
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void badEntriesNameTheTensor() throws IOException {
        assertHeaderError("{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 12]}}", 16,
                "tensor 'w'", "needs 16 bytes");
        assertHeaderError("{\"w\": {\"dtype\": \"Q7\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4,
                "tensor 'w'", "unsupported dtype Q7");
        assertHeaderError("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4,
                "tensor 'w'", "non-negative");
        assertHeaderError("{\"u\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + "\"v\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12, "tensor 'v'",
                "overlap tensor 'u'");
    }

    private void assertHeaderError(String json, int dataBytes, String... fragments) throws IOException {
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(f, b.array());
        IOException e = assertThrows(IOException.class, () -> SafetensorsReader.open(f));
        assertOneLine(e);
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        for (String frag : fragments) {
            assertTrue(e.getMessage().contains(frag), e.getMessage() + " should contain " + frag);
        }
    }

    @Test
    void missingTensorAndWrongKindNameFileAndTensor() throws IOException {
        Path f = sample();
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            IOException missing = assertThrows(IOException.class, () -> r.readFloats("nope"));
            assertEquals(f + ": tensor 'nope' is missing", missing.getMessage());
            IOException kind = assertThrows(IOException.class, () -> r.readFloats("ids"));
            assertTrue(kind.getMessage().contains("tensor 'ids'"), kind.getMessage());
        }
    }

    @Test
    void tinyFilesAreNotSafetensors() throws IOException {
        Path f = dir.resolve("tiny.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> SafetensorsReader.open(f));
        assertOneLine(e);
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    static void assertOneLine(Exception e) {
        assertFalse(e.getMessage().contains("\n"), "multi-line message: " + e.getMessage());
    }
}
