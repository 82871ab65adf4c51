package ai.distill4j.distill.log;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: each record is
 * {@code uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)}, little-endian, where the
 * mask is {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}.
 */
final class TfRecords {

    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {}

    /** CRC-32C (Castagnoli) of a byte range. */
    static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** The masked CRC TFRecord stores, so that CRCs of data containing CRCs stay well distributed. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** Frames one record. */
    static byte[] frame(byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(data.length);
        out.putInt(mask(crc32c(out.array(), 0, 8)));
        out.put(data);
        out.putInt(mask(crc32c(data, 0, data.length)));
        return out.array();
    }

    /**
     * Reads the next record's data.
     *
     * @return the data, or null at a clean end of stream
     * @throws EOFException if the stream ends inside a record (a write torn by a crash)
     * @throws IOException if a CRC does not match
     */
    static byte[] read(InputStream in) throws IOException {
        byte[] header = new byte[12];
        int first = in.readNBytes(header, 0, 12);
        if (first == 0) {
            return null;
        }
        if (first < 12) {
            throw new EOFException("record header cut short");
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long length = h.getLong(0);
        if (h.getInt(8) != mask(crc32c(header, 0, 8))) {
            throw new IOException("record length CRC mismatch");
        }
        if (length < 0 || length > Integer.MAX_VALUE - 16) {
            throw new IOException("record length " + length + " out of range");
        }
        byte[] data = in.readNBytes((int) length);
        byte[] footer = in.readNBytes(4);
        if (data.length < length || footer.length < 4) {
            throw new EOFException("record data cut short");
        }
        int stored = ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != mask(crc32c(data, 0, data.length))) {
            throw new IOException("record data CRC mismatch");
        }
        return data;
    }
}
