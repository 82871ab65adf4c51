package ai.distill4j.distill.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L, 250_000_000L),
            ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void crc32cMatchesTheStandardTestVectors() {
        // RFC 3720 (iSCSI) B.4 and the common check value
        assertEquals(0xE3069283, TfRecords.crc32c("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
        assertEquals(0x8A9136AA, TfRecords.crc32c(new byte[32], 0, 32));
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertEquals(0x62A8AB43, TfRecords.crc32c(ones, 0, 32));
        byte[] ascending = new byte[32];
        for (int i = 0; i < 32; i++) {
            ascending[i] = (byte) i;
        }
        assertEquals(0x46DD794E, TfRecords.crc32c(ascending, 0, 32));
    }

    @Test
    void maskMatchesTheFormulaComputedIndependently() {
        byte[] data = "brain.Event:2".getBytes(StandardCharsets.UTF_8);
        assertEquals(EventFileDecoder.maskedCrc(data, 0, data.length),
                TfRecords.mask(TfRecords.crc32c(data, 0, data.length)) & 0xffffffffL);
        // rotate right by 15, then add the constant: 0 becomes the constant itself
        assertEquals(0xa282ead8, TfRecords.mask(0));
        assertEquals(0xa282ead8 + 0x20000, TfRecords.mask(1));
    }

    @Test
    void namesTheFileAfterTheSecondsAndTheHost() throws IOException {
        try (TensorBoardWriter tb = TensorBoardWriter.open(dir, CLOCK, "node-7.example")) {
            assertEquals("events.out.tfevents.1700000000.node-7.example", tb.file().getFileName().toString());
        }
        try (TensorBoardWriter second = TensorBoardWriter.open(dir, CLOCK, "node 7/x")) {
            assertEquals("events.out.tfevents.1700000000.node_7_x", second.file().getFileName().toString());
        }
    }

    @Test
    void firstEventCarriesTheFileVersionThenOneEventPerScalar() throws IOException {
        Path file;
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("unweighted_kd_loss", 0.6932922005653381);
        terms.put("unweighted_hidden_hidden_mse_0_0", 2.1296885013580322);
        try (TensorBoardWriter tb = TensorBoardWriter.open(dir, CLOCK, "host")) {
            file = tb.file();
            tb.addLosses(0, 9.135687828063965, terms);
            tb.addLosses(1, 8.5, terms);
            tb.addScalar("eval/accuracy", 0.75, 1);
        }
        List<EventFileDecoder.Event> events = EventFileDecoder.decode(file);
        assertEquals(1 + 3 + 3 + 1, events.size());
        EventFileDecoder.Event version = events.get(0);
        assertEquals("brain.Event:2", version.fileVersion());
        assertEquals(1_700_000_000.25, version.wallTime());
        assertTrue(version.values().isEmpty());

        EventFileDecoder.Event total = events.get(1);
        assertEquals(0, total.step());
        assertEquals(1_700_000_000.25, total.wallTime());
        assertEquals(List.of(new EventFileDecoder.Value("scalar/total_loss", 9.135687828063965f)), total.values());
        assertEquals(new EventFileDecoder.Value("scalar/unweighted_kd_loss", 0.6932922005653381f),
                events.get(2).values().get(0));
        assertEquals("scalar/unweighted_hidden_hidden_mse_0_0", events.get(3).values().get(0).tag());
        assertEquals(1, events.get(4).step());
        assertEquals(8.5f, events.get(4).values().get(0).simpleValue());
        assertEquals(new EventFileDecoder.Value("eval/accuracy", 0.75f), events.get(7).values().get(0));
    }

    @Test
    void encodesAScalarEventByteForByteAsTheWireFormatSpecifies() throws IOException {
        Path file;
        try (TensorBoardWriter tb = TensorBoardWriter.open(dir, CLOCK, "host")) {
            file = tb.file();
            tb.addScalar("a", 1.0, 300);
        }
        byte[] all = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long firstLength = in.getLong(0);
        int second = (int) (8 + 4 + firstLength + 4);
        long length = in.getLong(second);
        byte[] data = java.util.Arrays.copyOfRange(all, second + 12, second + 12 + (int) length);

        ByteBuffer expected = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        expected.put((byte) 0x09).putDouble(1_700_000_000.25); // field 1, fixed64
        expected.put((byte) 0x10).put((byte) 0xac).put((byte) 0x02); // field 2, varint 300
        expected.put((byte) 0x2a).put((byte) 10); // field 5, Summary of 10 bytes
        expected.put((byte) 0x0a).put((byte) 8); // Summary field 1, Value of 8 bytes
        expected.put((byte) 0x0a).put((byte) 1).put((byte) 'a'); // Value field 1, tag "a"
        expected.put((byte) 0x15).putFloat(1.0f); // Value field 2, fixed32 simple_value
        byte[] want = java.util.Arrays.copyOf(expected.array(), expected.position());
        assertArrayEquals(want, data);
    }

    @Test
    void eventsAreInTheFileBeforeClose() throws IOException {
        TensorBoardWriter tb = TensorBoardWriter.open(dir, CLOCK, "host");
        tb.addScalar("scalar/total_loss", 1.5, 0);
        assertEquals(2, EventFileDecoder.decode(tb.file()).size());
        tb.close();
    }

    @Test
    void productionReaderAgreesWithTheIndependentDecoder() throws IOException {
        Path file;
        try (TensorBoardWriter tb = TensorBoardWriter.open(dir, CLOCK, "host")) {
            file = tb.file();
            for (int b = 0; b < 5; b++) {
                tb.addLosses(b, 10.0 / (b + 1), Map.of("unweighted_kd_loss", 1.0 / (b + 1)));
            }
        }
        List<ScalarEvent> scalars = TensorBoardEventFiles.readScalars(file);
        List<EventFileDecoder.Value> decoded = EventFileDecoder.decode(file).stream()
                .flatMap(e -> e.values().stream()).collect(Collectors.toList());
        assertEquals(10, scalars.size());
        for (int i = 0; i < scalars.size(); i++) {
            assertEquals(decoded.get(i).tag(), scalars.get(i).tag());
            assertEquals(decoded.get(i).simpleValue(), scalars.get(i).value());
            assertEquals(i / 2, scalars.get(i).step());
        }
    }

    @Test
    void readerDetectsACorruptedRecord() throws IOException {
        Path file;
        try (TensorBoardWriter tb = TensorBoardWriter.open(dir, CLOCK, "host")) {
            file = tb.file();
            tb.addScalar("scalar/total_loss", 1.5, 0);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raf.length() - 6; // inside the last record's data
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
        IOException e = assertThrows(IOException.class, () -> TensorBoardEventFiles.readScalars(file));
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
        assertThrows(IOException.class, () -> EventFileDecoder.decode(file));
    }

    @Test
    void readerStopsQuietlyAtARecordTornByACrash() throws IOException {
        Path file;
        try (TensorBoardWriter tb = TensorBoardWriter.open(dir, CLOCK, "host")) {
            file = tb.file();
            tb.addScalar("scalar/total_loss", 1.5, 0);
            tb.addScalar("scalar/total_loss", 1.25, 1);
        }
        long size = Files.size(file);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5);
        }
        List<ScalarEvent> scalars = TensorBoardEventFiles.readScalars(file);
        assertEquals(1, scalars.size());
        assertEquals(1.5f, scalars.get(0).value());
    }

    @Test
    void truncateDropsTheStepsAResumedRunTrainsAgain() throws IOException {
        try (TensorBoardWriter tb = TensorBoardWriter.open(dir, CLOCK, "host")) {
            for (int b = 0; b < 8; b++) {
                tb.addLosses(b, 8 - b, Map.of("unweighted_kd_loss", 0.5));
            }
            tb.addScalar("eval/accuracy", 0.5, 2);
            tb.addScalar("eval/accuracy", 0.6, 4);
        }
        // checkpoint at global step 2 after 5 batches (0..4)
        int dropped = TensorBoardEventFiles.truncate(dir,
                (tag, step) -> tag.startsWith("scalar/") ? step <= 4 : step <= 2);
        assertEquals(3 * 2 + 1, dropped);
        Path file = TensorBoardEventFiles.list(dir).get(0);
        List<EventFileDecoder.Event> events = EventFileDecoder.decode(file);
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        List<ScalarEvent> scalars = TensorBoardEventFiles.readScalars(file);
        assertEquals(5 * 2 + 1, scalars.size());
        assertEquals(4, scalars.stream().filter(s -> s.tag().startsWith("scalar/"))
                .mapToLong(ScalarEvent::step).max().getAsLong());
        assertEquals(0.5f, scalars.get(scalars.size() - 1).value());
        assertEquals(0, TensorBoardEventFiles.truncate(dir, (tag, step) -> true));
    }

    @Test
    void truncateRebuildsAnEventHoldingSeveralValues() throws IOException {
        // an event with two values in one Summary, as other writers produce
        ByteBuffer value1 = valueBytes("keep", 1f);
        ByteBuffer value2 = valueBytes("drop", 2f);
        java.io.ByteArrayOutputStream summary = new java.io.ByteArrayOutputStream();
        for (ByteBuffer v : List.of(value1, value2)) {
            summary.write(0x0a);
            summary.write(v.remaining());
            summary.write(v.array(), 0, v.remaining());
        }
        java.io.ByteArrayOutputStream event = new java.io.ByteArrayOutputStream();
        event.write(0x10);
        event.write(7); // step 7
        event.write(0x2a);
        event.write(summary.size());
        event.write(summary.toByteArray());
        Path file = dir.resolve("events.out.tfevents.1.other");
        Files.write(file, TfRecords.frame(event.toByteArray()));
        assertEquals(1, TensorBoardEventFiles.truncate(dir, (tag, step) -> tag.equals("keep")));
        List<EventFileDecoder.Event> events = EventFileDecoder.decode(file);
        assertEquals(1, events.size());
        assertEquals(7, events.get(0).step());
        assertEquals(List.of(new EventFileDecoder.Value("keep", 1f)), events.get(0).values());
        assertNull(events.get(0).fileVersion());
    }

    private static ByteBuffer valueBytes(String tag, float value) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x0a).put((byte) tag.length()).put(tag.getBytes(StandardCharsets.UTF_8));
        b.put((byte) 0x15).putFloat(value);
        b.flip();
        return ByteBuffer.wrap(java.util.Arrays.copyOf(b.array(), b.limit())).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void independentMaskedCrcOfAKnownCrcIsStable() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        long c = crc.getValue(); // 0xE3069283
        long expected = ((((c >>> 15) | (c << 17)) & 0xffffffffL) + 0xa282ead8L) & 0xffffffffL;
        assertEquals(expected, TfRecords.mask((int) c) & 0xffffffffL);
    }
}
