package ai.distill4j.distill.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A reader of TensorBoard event files written from the format description alone (TFRecord framing, protobuf wire
 * format of tensorflow.Event / Summary / Summary.Value), sharing no code with the production classes.
 */
final class EventFileDecoder {

    record Value(String tag, Float simpleValue) {}

    record Event(double wallTime, long step, String fileVersion, List<Value> values) {}

    private EventFileDecoder() {}

    /** Masked CRC-32C computed with 64-bit arithmetic, as the format description states it. */
    static long maskedCrc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        long c = crc.getValue();
        long rotated = ((c >>> 15) | (c << 17)) & 0xffffffffL;
        return (rotated + 0xa282ead8L) & 0xffffffffL;
    }

    static List<Event> decode(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (in.hasRemaining()) {
            int start = in.position();
            long length = in.getLong();
            long lengthCrc = in.getInt() & 0xffffffffL;
            if (lengthCrc != maskedCrc(in.array(), start, 8)) {
                throw new IOException("length CRC mismatch at offset " + start);
            }
            byte[] data = new byte[(int) length];
            in.get(data);
            long dataCrc = in.getInt() & 0xffffffffL;
            if (dataCrc != maskedCrc(data, 0, data.length)) {
                throw new IOException("data CRC mismatch at offset " + start);
            }
            events.add(event(data));
        }
        return events;
    }

    private static Event event(byte[] data) throws IOException {
        Reader r = new Reader(data);
        double wallTime = 0;
        long step = 0;
        String version = null;
        List<Value> values = new ArrayList<>();
        while (r.more()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == 1) {
                wallTime = Double.longBitsToDouble(r.fixed64());
            } else if (field == 2 && wire == 0) {
                step = r.varint();
            } else if (field == 3 && wire == 2) {
                version = new String(r.bytes(), StandardCharsets.UTF_8);
            } else if (field == 5 && wire == 2) {
                Reader summary = new Reader(r.bytes());
                while (summary.more()) {
                    long skey = summary.varint();
                    if ((skey >>> 3) != 1 || (skey & 7) != 2) {
                        throw new IOException("unexpected Summary field " + (skey >>> 3));
                    }
                    values.add(value(summary.bytes()));
                }
            } else {
                throw new IOException("unexpected Event field " + field + " wire type " + wire);
            }
        }
        return new Event(wallTime, step, version, values);
    }

    private static Value value(byte[] data) throws IOException {
        Reader r = new Reader(data);
        String tag = null;
        Float simple = null;
        while (r.more()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == 2) {
                tag = new String(r.bytes(), StandardCharsets.UTF_8);
            } else if (field == 2 && wire == 5) {
                simple = Float.intBitsToFloat(r.fixed32());
            } else {
                throw new IOException("unexpected Value field " + field + " wire type " + wire);
            }
        }
        return new Value(tag, simple);
    }

    private static final class Reader {
        private final ByteBuffer buf;

        Reader(byte[] data) {
            buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean more() {
            return buf.hasRemaining();
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf.get();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalStateException("varint too long");
        }

        long fixed64() {
            return buf.getLong();
        }

        int fixed32() {
            return buf.getInt();
        }

        byte[] bytes() {
            byte[] out = new byte[(int) varint()];
            buf.get(out);
            return out;
        }
    }
}
