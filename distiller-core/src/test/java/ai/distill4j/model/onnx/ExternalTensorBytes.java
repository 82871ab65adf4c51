package ai.distill4j.model.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Hand-encoded protobuf pieces the writer never produces (external data). */
final class ExternalTensorBytes {

    private ExternalTensorBytes() {}

    static byte[] externalTensor(String name, long[] dims, String location, long offset, long length)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(buf);
        for (long d : dims) {
            m.writeInt64(1, d);
        }
        m.writeInt32(2, OnnxDataType.FLOAT.code());
        m.writeString(8, name);
        m.writeByteArray(13, entry("location", location));
        m.writeByteArray(13, entry("offset", Long.toString(offset)));
        m.writeByteArray(13, entry("length", Long.toString(length)));
        m.writeEnum(14, 1);
        m.flush();
        return buf.toByteArray();
    }

    static byte[] field(int number, byte[] payload) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(buf);
        m.writeByteArray(number, payload);
        m.flush();
        return buf.toByteArray();
    }

    private static byte[] entry(String key, String value) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(buf);
        m.writeString(1, key);
        m.writeString(2, value);
        m.flush();
        return buf.toByteArray();
    }
}
