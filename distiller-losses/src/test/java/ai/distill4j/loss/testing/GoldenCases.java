package ai.distill4j.loss.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads golden case files (format: shared golden README): one loss or scheduler per file, many cases. */
public final class GoldenCases {

    private GoldenCases() {}

    /** A tensor as stored in a case file: shape and row-major values. */
    public record Tensor(long[] shape, double[] data) {

        /**
         * Creates the tensor in a manager.
         *
         * @param manager the owner
         * @param type FLOAT32 or FLOAT64
         * @return the array
         */
        public NDArray toNDArray(NDManager manager, DataType type) {
            NDArray a = manager.create(data, new Shape(shape));
            return type == DataType.FLOAT64 ? a : a.toType(type, false);
        }
    }

    /**
     * One case.
     *
     * @param name the case name
     * @param args the loss arguments (numbers, booleans, strings)
     * @param inputs each input role mapped to one tensor or a list of tensors
     * @param expectedScalar the expected scalar, or NaN when the expectation is a tensor
     * @param expectedTensor the expected tensor, or null when a scalar
     * @param tolerance absolute or relative tolerance, whichever is looser
     */
    public record Case(
            String name,
            Map<String, Object> args,
            Map<String, List<Tensor>> inputs,
            double expectedScalar,
            Tensor expectedTensor,
            double tolerance) {

        /**
         * Returns the single tensor of an input role.
         *
         * @param role the input name
         * @return the tensor, or null when absent
         */
        public Tensor input(String role) {
            List<Tensor> t = inputs.get(role);
            return t == null ? null : t.get(0);
        }

        /**
         * Checks an actual value against an expected one with this case's tolerance.
         *
         * @param expected the expected value
         * @param actual the computed value
         * @return true when within absolute or relative tolerance
         */
        public boolean close(double expected, double actual) {
            double diff = Math.abs(expected - actual);
            return diff <= tolerance || diff <= tolerance * Math.abs(expected);
        }
    }

    /**
     * A whole file.
     *
     * @param loss the loss or scheduler name in the file
     * @param cases the cases
     */
    public record File(String loss, List<Case> cases) {}

    /**
     * Parses a case file.
     *
     * @param path the file
     * @return its contents
     * @throws IOException when unreadable
     */
    public static File read(Path path) throws IOException {
        JsonObject root;
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(r).getAsJsonObject();
        }
        List<Case> cases = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            Map<String, Object> args = new LinkedHashMap<>();
            if (c.has("args")) {
                for (Map.Entry<String, JsonElement> a : c.getAsJsonObject("args").entrySet()) {
                    args.put(a.getKey(), primitive(a.getValue()));
                }
            }
            Map<String, List<Tensor>> inputs = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> in : c.getAsJsonObject("inputs").entrySet()) {
                List<Tensor> list = new ArrayList<>();
                if (in.getValue().isJsonArray()) {
                    for (JsonElement t : in.getValue().getAsJsonArray()) {
                        list.add(tensor(t.getAsJsonObject()));
                    }
                } else {
                    list.add(tensor(in.getValue().getAsJsonObject()));
                }
                inputs.put(in.getKey(), list);
            }
            JsonElement exp = c.get("expected");
            double scalar = Double.NaN;
            Tensor tensor = null;
            if (exp.isJsonObject()) {
                tensor = tensor(exp.getAsJsonObject());
            } else {
                scalar = exp.getAsDouble();
            }
            double tol = c.has("tolerance") ? c.get("tolerance").getAsDouble() : 1e-5;
            cases.add(new Case(c.get("name").getAsString(), args, inputs, scalar, tensor, tol));
        }
        return new File(root.get("loss").getAsString(), cases);
    }

    private static Object primitive(JsonElement v) {
        if (v.isJsonPrimitive()) {
            if (v.getAsJsonPrimitive().isBoolean()) {
                return v.getAsBoolean();
            }
            if (v.getAsJsonPrimitive().isNumber()) {
                return v.getAsDouble();
            }
            return v.getAsString();
        }
        return v.toString();
    }

    private static Tensor tensor(JsonObject o) {
        JsonArray s = o.getAsJsonArray("shape");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).getAsLong();
        }
        JsonArray d = o.getAsJsonArray("data");
        double[] data = new double[d.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = d.get(i).getAsDouble();
        }
        return new Tensor(shape, data);
    }
}
