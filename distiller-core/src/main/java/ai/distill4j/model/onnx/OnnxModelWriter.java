package ai.distill4j.model.onnx;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes ONNX model files in the protobuf wire format of {@code onnx.proto} with {@link CodedOutputStream}; the
 * counterpart of {@link OnnxModelReader}. Initializers are written as {@code raw_data}, lists as packed fields.
 *
 * @since 0.1.0
 */
public final class OnnxModelWriter {

    private OnnxModelWriter() {}

    /**
     * Writes a model to a file, atomically: to a temporary sibling first, then renamed into place.
     *
     * @param model the model
     * @param file the target {@code .onnx} file; its folder must exist
     * @throws IOException if writing fails
     */
    public static void write(OnnxModel model, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            write(model, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Serializes a model to bytes.
     *
     * @param model the model
     * @return the serialized {@code ModelProto}
     */
    public static byte[] toBytes(OnnxModel model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(model, out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes a model to a stream (not closed).
     *
     * @param model the model
     * @param out the stream
     * @throws IOException if writing fails
     */
    public static void write(OnnxModel model, OutputStream out) throws IOException {
        CodedOutputStream cos = CodedOutputStream.newInstance(out, 1 << 16);
        cos.writeInt64(1, model.irVersion());
        if (!model.producerName().isEmpty()) {
            cos.writeString(2, model.producerName());
        }
        if (!model.producerVersion().isEmpty()) {
            cos.writeString(3, model.producerVersion());
        }
        // The graph is written child by child so the weights are copied once, not once per nesting level.
        List<byte[]> parts = graphParts(model.graph());
        long length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        if (length > Integer.MAX_VALUE) {
            throw new IOException("graph is " + length + " bytes; ONNX files must stay under 2 GB");
        }
        cos.writeTag(7, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        cos.writeUInt32NoTag((int) length);
        for (byte[] p : parts) {
            cos.writeRawBytes(p);
        }
        for (Map.Entry<String, Long> e : model.opsetImports().entrySet()) {
            cos.writeByteArray(8, message(m -> {
                if (!e.getKey().isEmpty()) {
                    m.writeString(1, e.getKey());
                }
                m.writeInt64(2, e.getValue());
            }));
        }
        for (Map.Entry<String, String> e : model.metadata().entrySet()) {
            cos.writeByteArray(14, message(m -> {
                m.writeString(1, e.getKey());
                m.writeString(2, e.getValue());
            }));
        }
        cos.flush();
    }

    private static List<byte[]> graphParts(OnnxGraph g) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        for (OnnxNode n : g.nodes()) {
            parts.add(field(1, node(n)));
        }
        parts.add(message(m -> m.writeString(2, g.name())));
        for (OnnxTensorData t : g.initializers()) {
            parts.add(field(5, tensor(t)));
        }
        for (OnnxValueInfo v : g.inputs()) {
            parts.add(field(11, valueInfo(v)));
        }
        for (OnnxValueInfo v : g.outputs()) {
            parts.add(field(12, valueInfo(v)));
        }
        return parts;
    }

    private static byte[] node(OnnxNode n) throws IOException {
        return message(m -> {
            for (String in : n.inputs()) {
                m.writeString(1, in);
            }
            for (String out : n.outputs()) {
                m.writeString(2, out);
            }
            if (!n.name().isEmpty()) {
                m.writeString(3, n.name());
            }
            m.writeString(4, n.opType());
            for (OnnxAttribute a : n.attributes()) {
                m.writeByteArray(5, attribute(a));
            }
            if (!n.domain().isEmpty()) {
                m.writeString(7, n.domain());
            }
        });
    }

    private static byte[] attribute(OnnxAttribute a) throws IOException {
        return message(m -> {
            m.writeString(1, a.name());
            switch (a.type()) {
                case FLOAT -> m.writeFloat(2, a.f());
                case INT -> m.writeInt64(3, a.i());
                case STRING -> m.writeString(4, a.s());
                case TENSOR -> m.writeByteArray(5, tensor(a.t()));
                case FLOATS -> {
                    float[] fs = a.floats();
                    m.writeTag(7, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    m.writeUInt32NoTag(fs.length * 4);
                    for (float f : fs) {
                        m.writeFloatNoTag(f);
                    }
                }
                case INTS -> {
                    long[] is = a.ints();
                    int size = 0;
                    for (long i : is) {
                        size += CodedOutputStream.computeInt64SizeNoTag(i);
                    }
                    m.writeTag(8, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    m.writeUInt32NoTag(size);
                    for (long i : is) {
                        m.writeInt64NoTag(i);
                    }
                }
                default -> throw new IllegalArgumentException(
                        "attribute '" + a.name() + "' of kind " + a.type() + " cannot be written");
            }
            m.writeEnum(20, a.type().code());
        });
    }

    private static byte[] tensor(OnnxTensorData t) throws IOException {
        return message(m -> {
            long[] dims = t.dims();
            if (dims.length > 0) {
                int size = 0;
                for (long d : dims) {
                    size += CodedOutputStream.computeInt64SizeNoTag(d);
                }
                m.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                m.writeUInt32NoTag(size);
                for (long d : dims) {
                    m.writeInt64NoTag(d);
                }
            }
            m.writeInt32(2, t.dataType().code());
            if (!t.name().isEmpty()) {
                m.writeString(8, t.name());
            }
            m.writeByteArray(9, t.rawDataUnsafe());
        });
    }

    private static byte[] valueInfo(OnnxValueInfo v) throws IOException {
        byte[] shape = message(m -> {
            for (OnnxValueInfo.Dim d : v.shape()) {
                m.writeByteArray(1, message(dm -> {
                    if (d.param() != null) {
                        dm.writeString(2, d.param());
                    } else if (d.value() >= 0) {
                        dm.writeInt64(1, d.value());
                    }
                }));
            }
        });
        byte[] tensorType = message(m -> {
            m.writeInt32(1, v.elementType().code());
            m.writeByteArray(2, shape);
        });
        byte[] type = message(m -> m.writeByteArray(1, tensorType));
        return message(m -> {
            m.writeString(1, v.name());
            m.writeByteArray(2, type);
        });
    }

    private static byte[] field(int number, byte[] payload) throws IOException {
        return message(m -> m.writeByteArray(number, payload));
    }

    @FunctionalInterface
    private interface Body {
        void writeTo(CodedOutputStream m) throws IOException;
    }

    private static byte[] message(Body body) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(buf);
        body.writeTo(m);
        m.flush();
        return buf.toByteArray();
    }
}
