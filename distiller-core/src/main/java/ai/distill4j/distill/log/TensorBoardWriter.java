package ai.distill4j.distill.log;

import com.google.protobuf.CodedOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes scalars into a TensorBoard event file that TensorBoard itself reads ({@code tensorboard --logdir DIR}).
 *
 * <p>The file is {@code <logDir>/events.out.tfevents.<unix-seconds>.<hostname>}, a sequence of TFRecords (the
 * framing is described in {@code docs/checkpoints-and-logs.md}), each holding one serialized
 * {@code tensorflow.Event} protocol buffer: first an event with {@code wall_time} and
 * {@code file_version = "brain.Event:2"}, then one event per scalar with {@code wall_time}, {@code step} and a
 * {@code Summary} holding one {@code Value{tag, simple_value}} (a float32, as TensorBoard stores scalars).
 *
 * <p>{@link #addLosses} uses TextBrewer's tags: {@code scalar/total_loss} and {@code scalar/<term>} (e.g.
 * {@code scalar/unweighted_kd_loss}), with the forward-batch counter as the step. Each call hands its events to the
 * operating system before it returns, so a killed run keeps them; a record cut short by a power loss is skipped by
 * TensorBoard and by {@link TensorBoardEventFiles}. Instances are thread-safe.
 *
 * @since 0.1.0
 */
public final class TensorBoardWriter implements Closeable, Flushable {

    /** The {@code file_version} of the first event, which marks the file format. */
    public static final String FILE_VERSION = "brain.Event:2";

    /** The tag prefix TextBrewer gives its loss scalars. */
    public static final String LOSS_TAG_PREFIX = "scalar/";

    /** The prefix of every event file name. */
    public static final String FILE_PREFIX = "events.out.tfevents.";

    private final Path file;
    private final Clock clock;
    private OutputStream out;

    private TensorBoardWriter(Path file, Clock clock, OutputStream out) {
        this.file = file;
        this.clock = clock;
        this.out = out;
    }

    /**
     * Creates a new event file in a log folder (creating the folder if needed) and writes its version event.
     *
     * @param logDir the TensorBoard log folder (TextBrewer's {@code log_dir})
     * @return the open writer
     * @throws IOException if the folder or file cannot be created
     */
    public static TensorBoardWriter open(Path logDir) throws IOException {
        return open(logDir, Clock.systemUTC(), hostName());
    }

    /**
     * Creates a new event file with an explicit clock and host name (for tests and reproducible names).
     *
     * @param logDir the TensorBoard log folder
     * @param clock gives the file name's seconds and every event's wall time
     * @param hostname the last part of the file name; characters other than letters, digits, {@code .}, {@code _}
     *     and {@code -} are replaced by {@code _}
     * @return the open writer
     * @throws IOException if the folder or file cannot be created
     */
    public static TensorBoardWriter open(Path logDir, Clock clock, String hostname) throws IOException {
        Objects.requireNonNull(clock, "clock");
        Files.createDirectories(logDir);
        String host = hostname == null || hostname.isBlank()
                ? "localhost" : hostname.replaceAll("[^A-Za-z0-9._-]", "_");
        String base = FILE_PREFIX + clock.instant().getEpochSecond() + "." + host;
        Path file = logDir.resolve(base);
        for (int n = 1; Files.exists(file); n++) {
            file = logDir.resolve(base + "." + n);
        }
        OutputStream stream = new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        TensorBoardWriter writer = new TensorBoardWriter(file.toAbsolutePath(), clock, stream);
        try {
            writer.writeEvent(writer.versionEvent());
            writer.flush();
        } catch (IOException e) {
            stream.close();
            throw e;
        }
        return writer;
    }

    /**
     * Returns the event file this writer writes.
     *
     * @return its absolute path
     */
    public Path file() {
        return file;
    }

    /**
     * Writes one scalar and hands it to the operating system.
     *
     * @param tag the chart name, e.g. {@code scalar/total_loss} or {@code eval/accuracy}
     * @param value the value (stored as float32)
     * @param step the x-axis position
     * @throws IOException if writing fails
     */
    public synchronized void addScalar(String tag, double value, long step) throws IOException {
        writeEvent(scalarEvent(Objects.requireNonNull(tag, "tag"), value, step));
        flush();
    }

    /**
     * Writes several scalars at one step, one event each, in the map's iteration order.
     *
     * @param scalars values by tag
     * @param step the x-axis position of all of them
     * @throws IOException if writing fails
     */
    public synchronized void addScalars(Map<String, Double> scalars, long step) throws IOException {
        for (Map.Entry<String, Double> e : scalars.entrySet()) {
            writeEvent(scalarEvent(Objects.requireNonNull(e.getKey(), "tag"),
                    Objects.requireNonNull(e.getValue(), () -> "value of " + e.getKey()), step));
        }
        flush();
    }

    /**
     * Writes the losses of one forward batch under TextBrewer's tags: {@code scalar/total_loss} and then
     * {@code scalar/<name>} for every term.
     *
     * @param batch the forward-batch counter (TextBrewer's x-axis)
     * @param totalLoss the batch's total loss
     * @param terms the loss terms by name, e.g. {@code unweighted_kd_loss}
     * @throws IOException if writing fails
     */
    public void addLosses(long batch, double totalLoss, Map<String, Double> terms) throws IOException {
        Map<String, Double> tagged = new LinkedHashMap<>();
        tagged.put(LOSS_TAG_PREFIX + "total_loss", totalLoss);
        for (Map.Entry<String, Double> e : terms.entrySet()) {
            tagged.put(LOSS_TAG_PREFIX + e.getKey(), e.getValue());
        }
        addScalars(tagged, batch);
    }

    /**
     * Hands buffered events to the operating system.
     *
     * @throws IOException if writing fails
     */
    @Override
    public synchronized void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /**
     * Flushes and closes the file.
     *
     * @throws IOException if writing or closing fails
     */
    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            try {
                out.flush();
            } finally {
                out.close();
                out = null;
            }
        }
    }

    private void writeEvent(byte[] event) throws IOException {
        if (out == null) {
            throw new IllegalStateException("the TensorBoard writer for " + file + " is closed");
        }
        out.write(TfRecords.frame(event));
    }

    private double wallTime() {
        return clock.millis() / 1000.0;
    }

    private byte[] versionEvent() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream event = CodedOutputStream.newInstance(bytes);
        event.writeDouble(1, wallTime());
        event.writeString(3, FILE_VERSION);
        event.flush();
        return bytes.toByteArray();
    }

    private byte[] scalarEvent(String tag, double value, long step) throws IOException {
        ByteArrayOutputStream valueBytes = new ByteArrayOutputStream();
        CodedOutputStream v = CodedOutputStream.newInstance(valueBytes);
        v.writeString(1, tag);
        v.writeFloat(2, (float) value);
        v.flush();

        ByteArrayOutputStream summaryBytes = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(summaryBytes);
        s.writeByteArray(1, valueBytes.toByteArray());
        s.flush();

        ByteArrayOutputStream eventBytes = new ByteArrayOutputStream();
        CodedOutputStream e = CodedOutputStream.newInstance(eventBytes);
        e.writeDouble(1, wallTime());
        e.writeInt64(2, step);
        e.writeByteArray(5, summaryBytes.toByteArray());
        e.flush();
        return eventBytes.toByteArray();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "localhost" : env;
        }
    }
}
