package ai.distill4j.distill.log;

import ai.distill4j.distill.internal.DurableFiles;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Reads the scalars of TensorBoard event files and cuts them back when a run resumes.
 *
 * <p>Reading checks both CRCs of every record. A last record cut short by a crash ends the file quietly, as it does
 * for TensorBoard; a CRC mismatch elsewhere is an error.
 *
 * @since 0.1.0
 */
public final class TensorBoardEventFiles {

    private static final int EVENT_WALL_TIME = 1;
    private static final int EVENT_STEP = 2;
    private static final int EVENT_SUMMARY = 5;
    private static final int SUMMARY_VALUE = 1;
    private static final int VALUE_TAG = 1;
    private static final int VALUE_SIMPLE_VALUE = 2;

    private TensorBoardEventFiles() {}

    /**
     * Lists the event files of a log folder (not its subfolders), oldest name first.
     *
     * @param logDir a TensorBoard log folder
     * @return the files whose names start with {@code events.out.tfevents.}, sorted by name; empty if the folder is
     *     missing
     * @throws IOException if the folder cannot be listed
     */
    public static List<Path> list(Path logDir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(logDir)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(logDir, TensorBoardWriter.FILE_PREFIX + "*")) {
            for (Path p : entries) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /**
     * Reads every {@code simple_value} scalar of an event file, in file order.
     *
     * @param file an event file
     * @return the scalars
     * @throws IOException if the file cannot be read, a CRC does not match or an event is malformed
     */
    public static List<ScalarEvent> readScalars(Path file) throws IOException {
        List<ScalarEvent> scalars = new ArrayList<>();
        for (byte[] record : records(file)) {
            Event event = Event.parse(record);
            for (Value v : event.values) {
                if (v.hasSimpleValue) {
                    scalars.add(new ScalarEvent(event.wallTime, event.step, v.tag, v.simpleValue));
                }
            }
        }
        return scalars;
    }

    /**
     * Rewrites the event files of a log folder keeping only the scalars the predicate accepts, so that a resumed run
     * does not show the steps it trains again twice. Events without a summary (the version event) are kept; an
     * event left without values is dropped; a record torn by a crash is dropped. Each changed file is replaced
     * atomically; unchanged files are not touched. Run it before the resumed run opens its own writer.
     *
     * @param logDir the TensorBoard log folder
     * @param keep given a value's tag and its event's step, whether to keep it; e.g. for a resume from a checkpoint
     *     at global step {@code s} that had seen {@code b} batches: {@code (tag, step) -> tag.startsWith("scalar/")
     *     ? step < b : step <= s}
     * @return the number of values dropped
     * @throws IOException if a file cannot be read or replaced, or holds a record with a wrong CRC
     */
    public static int truncate(Path logDir, BiPredicate<String, Long> keep) throws IOException {
        int dropped = 0;
        for (Path file : list(logDir)) {
            List<byte[]> records = new ArrayList<>();
            boolean torn = readRecords(file, records);
            ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
            int droppedHere = 0;
            for (byte[] record : records) {
                Event event = Event.parse(record);
                List<ByteString> kept = new ArrayList<>();
                for (Value v : event.values) {
                    if (keep.test(v.tag, event.step)) {
                        kept.add(v.raw);
                    }
                }
                droppedHere += event.values.size() - kept.size();
                if (!event.hasSummary || kept.size() == event.values.size()) {
                    rewritten.write(TfRecords.frame(record));
                } else if (!kept.isEmpty()) {
                    rewritten.write(TfRecords.frame(event.withValues(record, kept)));
                }
            }
            if (droppedHere > 0 || torn) {
                DurableFiles.replace(file, rewritten.toByteArray());
            }
            dropped += droppedHere;
        }
        return dropped;
    }

    private static List<byte[]> records(Path file) throws IOException {
        List<byte[]> records = new ArrayList<>();
        readRecords(file, records);
        return records;
    }

    /** Reads the records into the list; returns whether the file ended inside a record. */
    private static boolean readRecords(Path file, List<byte[]> records) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            while (true) {
                byte[] data;
                try {
                    data = TfRecords.read(in);
                } catch (EOFException torn) {
                    return true;
                } catch (IOException e) {
                    throw new IOException(file + ": record " + (records.size() + 1) + ": " + e.getMessage(), e);
                }
                if (data == null) {
                    return false;
                }
                records.add(data);
            }
        }
    }

    private static final class Value {
        ByteString raw;
        String tag = "";
        boolean hasSimpleValue;
        float simpleValue;

        static Value parse(ByteString raw) throws IOException {
            Value v = new Value();
            v.raw = raw;
            CodedInputStream in = raw.newCodedInput();
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return v;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                int type = WireFormat.getTagWireType(tag);
                if (field == VALUE_TAG && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    v.tag = in.readStringRequireUtf8();
                } else if (field == VALUE_SIMPLE_VALUE && type == WireFormat.WIRETYPE_FIXED32) {
                    v.simpleValue = in.readFloat();
                    v.hasSimpleValue = true;
                } else {
                    in.skipField(tag);
                }
            }
        }
    }

    private static final class Event {
        double wallTime;
        long step;
        boolean hasSummary;
        final List<Value> values = new ArrayList<>();

        static Event parse(byte[] record) throws IOException {
            Event e = new Event();
            CodedInputStream in = CodedInputStream.newInstance(record);
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return e;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                int type = WireFormat.getTagWireType(tag);
                if (field == EVENT_WALL_TIME && type == WireFormat.WIRETYPE_FIXED64) {
                    e.wallTime = in.readDouble();
                } else if (field == EVENT_STEP && type == WireFormat.WIRETYPE_VARINT) {
                    e.step = in.readInt64();
                } else if (field == EVENT_SUMMARY && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    e.hasSummary = true;
                    CodedInputStream summary = in.readBytes().newCodedInput();
                    while (true) {
                        int stag = summary.readTag();
                        if (stag == 0) {
                            break;
                        }
                        if (WireFormat.getTagFieldNumber(stag) == SUMMARY_VALUE
                                && WireFormat.getTagWireType(stag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                            e.values.add(Value.parse(summary.readBytes()));
                        } else {
                            summary.skipField(stag);
                        }
                    }
                } else {
                    in.skipField(tag);
                }
            }
        }

        /** The same event with its summary's values replaced; every other field is copied unchanged. */
        byte[] withValues(byte[] record, List<ByteString> kept) throws IOException {
            ByteArrayOutputStream summaryBytes = new ByteArrayOutputStream();
            CodedOutputStream summary = CodedOutputStream.newInstance(summaryBytes);
            for (ByteString v : kept) {
                summary.writeBytes(SUMMARY_VALUE, v);
            }
            summary.flush();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            CodedInputStream in = CodedInputStream.newInstance(record);
            while (true) {
                int start = in.getTotalBytesRead();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                in.skipField(tag);
                if (WireFormat.getTagFieldNumber(tag) == EVENT_SUMMARY) {
                    out.writeByteArray(EVENT_SUMMARY, summaryBytes.toByteArray());
                } else {
                    out.writeRawBytes(record, start, in.getTotalBytesRead() - start); // the field, byte for byte
                }
            }
            out.flush();
            return bytes.toByteArray();
        }
    }
}
