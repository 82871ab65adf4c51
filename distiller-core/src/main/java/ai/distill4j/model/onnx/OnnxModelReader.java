package ai.distill4j.model.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ONNX model files by decoding the protobuf wire format of {@code onnx.proto} directly with
 * {@link CodedInputStream}: no generated classes and no native ONNX library.
 *
 * <p>It decodes what model conversion needs: the model header and operator sets, the graph's nodes (operator,
 * inputs, outputs, attributes), initializers from any of {@code raw_data}, {@code float_data}, {@code int32_data},
 * {@code int64_data}, {@code double_data} or external data files, and the typed graph inputs and outputs. Unknown
 * fields are skipped, so files from newer ONNX versions still read. Files must be smaller than 2 GB (the protobuf
 * limit; larger models keep their weights in external data files, which are supported).
 *
 * @since 0.1.0
 */
public final class OnnxModelReader {

    private final String source;
    private final Path baseDir;

    private OnnxModelReader(String source, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir;
    }

    /**
     * Reads an ONNX model file; external data files are resolved next to it.
     *
     * @param file the {@code .onnx} file
     * @return the decoded model
     * @throws IOException if the file cannot be read or is not a valid ONNX model (the message names the file)
     */
    public static OnnxModel read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "ONNX model file not found");
        }
        long size = Files.size(file);
        if (size >= Integer.MAX_VALUE) {
            throw new IOException("ONNX model file " + file + " is " + size
                    + " bytes; files of 2 GB or more must keep their weights in external data");
        }
        byte[] bytes = Files.readAllBytes(file);
        Path parent = file.toAbsolutePath().getParent();
        return new OnnxModelReader(file.toString(), parent).decodeModel(bytes);
    }

    /**
     * Reads an ONNX model from a stream (e.g. a classpath resource). External data is not supported here.
     *
     * @param in the stream, read to its end but not closed
     * @param sourceName a name for error messages
     * @return the decoded model
     * @throws IOException if the stream fails or does not hold a valid ONNX model
     */
    public static OnnxModel read(InputStream in, String sourceName) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 20);
        in.transferTo(buf);
        return read(buf.toByteArray(), sourceName);
    }

    /**
     * Decodes an ONNX model from bytes. External data is not supported here.
     *
     * @param bytes the serialized {@code ModelProto}
     * @param sourceName a name for error messages
     * @return the decoded model
     * @throws IOException if the bytes are not a valid ONNX model
     */
    public static OnnxModel read(byte[] bytes, String sourceName) throws IOException {
        return new OnnxModelReader(sourceName, null).decodeModel(bytes);
    }

    private OnnxModel decodeModel(byte[] bytes) throws IOException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            long irVersion = 0;
            String producer = "";
            String producerVersion = "";
            Map<String, Long> opsets = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            OnnxGraph graph = null;
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> irVersion = in.readInt64();
                    case 2 -> producer = in.readString();
                    case 3 -> producerVersion = in.readString();
                    case 7 -> {
                        int old = enter(in);
                        graph = decodeGraph(in);
                        in.popLimit(old);
                    }
                    case 8 -> {
                        int old = enter(in);
                        String domain = "";
                        long version = 0;
                        while (!in.isAtEnd()) {
                            int t = in.readTag();
                            switch (WireFormat.getTagFieldNumber(t)) {
                                case 1 -> domain = in.readString();
                                case 2 -> version = in.readInt64();
                                default -> in.skipField(t);
                            }
                        }
                        in.popLimit(old);
                        opsets.put(domain, version);
                    }
                    case 14 -> {
                        String[] kv = decodeStringEntry(in);
                        metadata.put(kv[0], kv[1]);
                    }
                    default -> in.skipField(tag);
                }
            }
            if (graph == null) {
                throw new IOException("not an ONNX model: " + source + " holds no graph (ModelProto field 7)");
            }
            return new OnnxModel(irVersion, producer, producerVersion, opsets, graph, metadata);
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new IOException("not a valid ONNX model: " + source + " (" + e.getMessage() + ")", e);
        }
    }

    private static int enter(CodedInputStream in) throws IOException {
        int length = in.readRawVarint32();
        if (length < 0) {
            throw new InvalidProtocolBufferException("negative message length " + length);
        }
        return in.pushLimit(length);
    }

    private static String[] decodeStringEntry(CodedInputStream in) throws IOException {
        int old = enter(in);
        String key = "";
        String value = "";
        while (!in.isAtEnd()) {
            int t = in.readTag();
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> key = in.readString();
                case 2 -> value = in.readString();
                default -> in.skipField(t);
            }
        }
        in.popLimit(old);
        return new String[] {key, value};
    }

    private OnnxGraph decodeGraph(CodedInputStream in) throws IOException {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensorData> initializers = new ArrayList<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    int old = enter(in);
                    nodes.add(decodeNode(in));
                    in.popLimit(old);
                }
                case 2 -> name = in.readString();
                case 5 -> {
                    int old = enter(in);
                    initializers.add(decodeTensor(in));
                    in.popLimit(old);
                }
                case 11 -> {
                    int old = enter(in);
                    inputs.add(decodeValueInfo(in));
                    in.popLimit(old);
                }
                case 12 -> {
                    int old = enter(in);
                    outputs.add(decodeValueInfo(in));
                    in.popLimit(old);
                }
                default -> in.skipField(tag);
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private OnnxNode decodeNode(CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<OnnxAttribute> attributes = new ArrayList<>();
        String name = "";
        String opType = "";
        String domain = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(in.readString());
                case 2 -> outputs.add(in.readString());
                case 3 -> name = in.readString();
                case 4 -> opType = in.readString();
                case 5 -> {
                    int old = enter(in);
                    attributes.add(decodeAttribute(in));
                    in.popLimit(old);
                }
                case 7 -> domain = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new OnnxNode(opType, name, domain, inputs, outputs, attributes);
    }

    private OnnxAttribute decodeAttribute(CodedInputStream in) throws IOException {
        String name = "";
        int typeCode = -1;
        Float f = null;
        Long i = null;
        String s = null;
        OnnxTensorData t = null;
        List<Float> floats = new ArrayList<>();
        List<Long> ints = new ArrayList<>();
        boolean sawGraph = false;
        boolean sawStrings = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            switch (field) {
                case 1 -> name = in.readString();
                case 2 -> f = in.readFloat();
                case 3 -> i = in.readInt64();
                case 4 -> s = in.readBytes().toStringUtf8();
                case 5 -> {
                    int old = enter(in);
                    t = decodeTensor(in);
                    in.popLimit(old);
                }
                case 6 -> {
                    sawGraph = true;
                    in.skipField(tag);
                }
                case 7 -> {
                    if (packed) {
                        int old = enter(in);
                        while (!in.isAtEnd()) {
                            floats.add(in.readFloat());
                        }
                        in.popLimit(old);
                    } else {
                        floats.add(in.readFloat());
                    }
                }
                case 8 -> {
                    if (packed) {
                        int old = enter(in);
                        while (!in.isAtEnd()) {
                            ints.add(in.readInt64());
                        }
                        in.popLimit(old);
                    } else {
                        ints.add(in.readInt64());
                    }
                }
                case 9 -> {
                    sawStrings = true;
                    in.skipField(tag);
                }
                case 20 -> typeCode = in.readEnum();
                default -> in.skipField(tag);
            }
        }
        OnnxAttribute.Type type;
        if (typeCode >= 0) {
            type = OnnxAttribute.Type.fromCode(typeCode);
        } else if (f != null) {
            type = OnnxAttribute.Type.FLOAT;
        } else if (i != null) {
            type = OnnxAttribute.Type.INT;
        } else if (s != null) {
            type = OnnxAttribute.Type.STRING;
        } else if (t != null) {
            type = OnnxAttribute.Type.TENSOR;
        } else if (!floats.isEmpty()) {
            type = OnnxAttribute.Type.FLOATS;
        } else if (!ints.isEmpty()) {
            type = OnnxAttribute.Type.INTS;
        } else if (sawGraph) {
            type = OnnxAttribute.Type.GRAPH;
        } else if (sawStrings) {
            type = OnnxAttribute.Type.STRINGS;
        } else {
            type = OnnxAttribute.Type.OTHER;
        }
        return switch (type) {
            case FLOAT -> OnnxAttribute.ofFloat(name, f == null ? 0f : f);
            case INT -> OnnxAttribute.ofInt(name, i == null ? 0L : i);
            case STRING -> OnnxAttribute.ofString(name, s == null ? "" : s);
            case TENSOR -> t == null ? OnnxAttribute.opaque(name, type) : OnnxAttribute.ofTensor(name, t);
            case FLOATS -> {
                float[] a = new float[floats.size()];
                for (int k = 0; k < a.length; k++) {
                    a[k] = floats.get(k);
                }
                yield OnnxAttribute.ofFloats(name, a);
            }
            case INTS -> OnnxAttribute.ofInts(name, ints.stream().mapToLong(Long::longValue).toArray());
            default -> OnnxAttribute.opaque(name, type);
        };
    }

    private OnnxTensorData decodeTensor(CodedInputStream in) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        byte[] raw = null;
        ByteArrayOutputStream typed = new ByteArrayOutputStream();
        ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> int32Values = new ArrayList<>();
        Map<String, String> external = new LinkedHashMap<>();
        boolean externalLocation = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            switch (field) {
                case 1 -> readRepeated(in, packed, () -> dims.add(in.readInt64()));
                case 2 -> dataType = in.readInt32();
                case 4 -> readRepeated(in, packed, () -> {
                    scratch.clear();
                    scratch.putFloat(in.readFloat());
                    typed.write(scratch.array(), 0, 4);
                });
                case 5 -> readRepeated(in, packed, () -> int32Values.add((long) in.readInt32()));
                case 7 -> readRepeated(in, packed, () -> {
                    scratch.clear();
                    scratch.putLong(in.readInt64());
                    typed.write(scratch.array(), 0, 8);
                });
                case 8 -> name = in.readString();
                case 9 -> raw = in.readByteArray();
                case 10 -> readRepeated(in, packed, () -> {
                    scratch.clear();
                    scratch.putDouble(in.readDouble());
                    typed.write(scratch.array(), 0, 8);
                });
                case 11 -> readRepeated(in, packed, () -> {
                    scratch.clear();
                    scratch.putLong(in.readUInt64());
                    typed.write(scratch.array(), 0, 8);
                });
                case 13 -> {
                    String[] kv = decodeStringEntry(in);
                    external.put(kv[0], kv[1]);
                }
                case 14 -> externalLocation = in.readEnum() == 1;
                default -> in.skipField(tag);
            }
        }
        OnnxDataType type = OnnxDataType.fromCode(dataType);
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        byte[] data;
        if (externalLocation) {
            data = readExternal(name, external);
        } else if (raw != null) {
            data = raw;
        } else if (!int32Values.isEmpty()) {
            data = packInt32Field(type, int32Values, name);
        } else {
            data = typed.toByteArray();
        }
        if (type == OnnxDataType.STRING) {
            throw new IllegalArgumentException("string tensor '" + name + "' is not supported");
        }
        return OnnxTensorData.wrap(name, type, shape, data);
    }

    /** Values of small types in {@code int32_data} are stored one per int32; repack them at their own width. */
    private static byte[] packInt32Field(OnnxDataType type, List<Long> values, String name) {
        int width = type.byteSize();
        ByteBuffer b = ByteBuffer.allocate(values.size() * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (width) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> throw new IllegalArgumentException(
                        "tensor '" + name + "' of type " + type + " cannot be stored in int32_data");
            }
        }
        return b.array();
    }

    private byte[] readExternal(String tensorName, Map<String, String> info) throws IOException {
        String location = info.get("location");
        if (location == null) {
            throw new IOException("tensor '" + tensorName + "' in " + source + " has external data without a location");
        }
        if (baseDir == null) {
            throw new IOException("tensor '" + tensorName + "' in " + source
                    + " keeps its data in an external file; read the model from a file path instead");
        }
        Path file = baseDir.resolve(location).normalize();
        if (!file.startsWith(baseDir)) {
            throw new IOException("tensor '" + tensorName + "' points outside the model folder: " + location);
        }
        long offset = Long.parseLong(info.getOrDefault("offset", "0"));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = info.containsKey("length") ? Long.parseLong(info.get("length")) : ch.size() - offset;
            if (offset < 0 || length < 0 || offset + length > ch.size() || length > Integer.MAX_VALUE - 8) {
                throw new IOException("tensor '" + tensorName + "': external range [" + offset + ", "
                        + (offset + length) + ") is outside " + file + " (" + ch.size() + " bytes)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new IOException("unexpected end of " + file);
                }
            }
            return buf.array();
        }
    }

    private OnnxValueInfo decodeValueInfo(CodedInputStream in) throws IOException {
        String name = "";
        OnnxDataType elemType = OnnxDataType.UNDEFINED;
        List<OnnxValueInfo.Dim> shape = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readString();
                case 2 -> { // TypeProto
                    int oldType = enter(in);
                    while (!in.isAtEnd()) {
                        int t = in.readTag();
                        if (WireFormat.getTagFieldNumber(t) != 1) {
                            in.skipField(t);
                            continue;
                        }
                        int oldTensor = enter(in); // TypeProto.Tensor
                        while (!in.isAtEnd()) {
                            int u = in.readTag();
                            switch (WireFormat.getTagFieldNumber(u)) {
                                case 1 -> elemType = OnnxDataType.fromCode(in.readInt32());
                                case 2 -> decodeShape(in, shape);
                                default -> in.skipField(u);
                            }
                        }
                        in.popLimit(oldTensor);
                    }
                    in.popLimit(oldType);
                }
                default -> in.skipField(tag);
            }
        }
        return new OnnxValueInfo(name, elemType, shape);
    }

    private static void decodeShape(CodedInputStream in, List<OnnxValueInfo.Dim> shape) throws IOException {
        int oldShape = enter(in);
        while (!in.isAtEnd()) {
            int t = in.readTag();
            if (WireFormat.getTagFieldNumber(t) != 1) {
                in.skipField(t);
                continue;
            }
            int oldDim = enter(in);
            long value = -1;
            String param = null;
            while (!in.isAtEnd()) {
                int u = in.readTag();
                switch (WireFormat.getTagFieldNumber(u)) {
                    case 1 -> value = in.readInt64();
                    case 2 -> param = in.readString();
                    default -> in.skipField(u);
                }
            }
            in.popLimit(oldDim);
            shape.add(param != null ? OnnxValueInfo.Dim.symbolic(param) : new OnnxValueInfo.Dim(value, null));
        }
        in.popLimit(oldShape);
    }

    @FunctionalInterface
    private interface FieldReader {
        void readOne() throws IOException;
    }

    private static void readRepeated(CodedInputStream in, boolean packed, FieldReader reader) throws IOException {
        if (packed) {
            int old = enter(in);
            while (!in.isAtEnd()) {
                reader.readOne();
            }
            in.popLimit(old);
        } else {
            reader.readOne();
        }
    }
}
