package ai.distill4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.distill4j.loss.logit.LogitRows;
import ai.distill4j.loss.testing.GoldenCases;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Checks every case of every golden file ({@code *.json}, format of the shared golden README) in float32 through the
 * {@link LossRegistry}, one dynamic test per case, named {@code file/case}.
 *
 * <p>Directory: {@code -Dgolden.dir=DIR} when given (absolute, or relative to the module directory), otherwise this
 * module's {@code src/test/resources/golden} (from the test classpath, or the module directory). Run it on another
 * set of cases with {@code mvn -pl distiller-losses test -Dtest=GoldenConformanceTest -Dgolden.dir=DIR}.
 *
 * <p>Which registry a file goes to, by its file name:
 *
 * <ul>
 *   <li>{@code kd_X.json}: KD loss {@code X}. Inputs {@code logits_S}, {@code logits_T}; {@code args.temperature}
 *       (default 1) is the call's temperature, an input tensor {@code temperature} a per-row one; an input
 *       {@code mask} selects rows with {@link LogitRows#select}; other args go to the factory.
 *   <li>{@code temperature_X.json}: temperature scheduler {@code X}. Inputs {@code logits_S}, {@code logits_T};
 *       {@code args.base_temperature} is the call's base temperature, other args go to the factory; the expected
 *       value is the per-row temperature.
 *   <li>any other file: the intermediate-match loss named by the file's {@code loss} field; all args go to the
 *       factory. Student and teacher inputs are the roles {@code X_S} / {@code X_T} ({@code state}, {@code attention},
 *       {@code logits}, {@code sentence}, {@code hidden}, ...): a list in the file (pair losses) is passed as that
 *       list; {@code hidden_S} / {@code hidden_T} holding one stacked {@code [B, K+1, L, d]} tensor (CKD) are split
 *       along dim 1 into {@code K+1} tensors {@code [B, L, d]}. SimCSE's two views are passed as
 *       {@code student = [view_1]}, {@code teacher = [view_2]}. An input {@code mask} is the inputs mask.
 * </ul>
 *
 * <p>A file naming a loss or scheduler the registry lacks fails each of its cases, naming the file and the known
 * names; a file that cannot be read fails one test named after it.
 */
class GoldenConformanceTest {

    static final String KD_PREFIX = "kd_";
    static final String TEMPERATURE_PREFIX = "temperature_";

    @TestFactory
    Stream<DynamicTest> everyGoldenCaseMatchesThroughTheRegistry() throws IOException {
        Path dir = goldenDir();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no golden *.json files in " + dir);
        LossRegistry registry = LossRegistry.withBuiltIns();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String stem = fileName.substring(0, fileName.length() - ".json".length());
            GoldenCases.File golden;
            try {
                golden = GoldenCases.read(file);
            } catch (IOException | RuntimeException e) {
                tests.add(DynamicTest.dynamicTest(stem, () -> fail("cannot read golden file " + file + ": " + e, e)));
                continue;
            }
            for (GoldenCases.Case c : golden.cases()) {
                tests.add(DynamicTest.dynamicTest(stem + "/" + c.name(), check(registry, fileName, stem, golden, c)));
            }
        }
        return tests.stream();
    }

    private static Executable check(
            LossRegistry registry, String fileName, String stem, GoldenCases.File golden, GoldenCases.Case c) {
        return () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                if (stem.startsWith(KD_PREFIX)) {
                    checkKd(registry, fileName, stem.substring(KD_PREFIX.length()), c, manager);
                } else if (stem.startsWith(TEMPERATURE_PREFIX)) {
                    checkTemperature(registry, fileName, stem.substring(TEMPERATURE_PREFIX.length()), c, manager);
                } else {
                    checkMatch(registry, fileName, golden.loss(), c, manager);
                }
            }
        };
    }

    private static void checkKd(
            LossRegistry registry, String fileName, String key, GoldenCases.Case c, NDManager manager) {
        assertScalar(fileName, c, computeKd(registry, fileName, key, c, manager, false).value());
    }

    /** A loss value and the student-side inputs it was computed from. */
    record Computed(NDArray value, List<NDArray> studentInputs) {}

    /**
     * Computes a KD case's loss; with {@code track}, the student logits carry a gradient (before any row selection).
     */
    static Computed computeKd(
            LossRegistry registry, String fileName, String key, GoldenCases.Case c, NDManager manager, boolean track) {
        requireName(fileName, "KD loss", key, registry.kdNames());
        Map<String, Object> args = new LinkedHashMap<>(c.args());
        Object t = args.remove("temperature");
        double temperature = t == null ? 1.0 : ((Number) t).doubleValue();
        KdLoss loss = registry.kd(key, new LossArgs(args));
        NDArray logitsS = tensor(fileName, c, "logits_S", manager);
        NDArray logitsT = tensor(fileName, c, "logits_T", manager);
        List<NDArray> tracked = track ? List.of(logitsS) : List.of();
        tracked.forEach(x -> x.setRequiresGradient(true));
        NDArray tau = c.input("temperature") != null
                ? tensor(fileName, c, "temperature", manager)
                : manager.create((float) temperature);
        if (c.input("mask") != null) {
            NDArray mask = tensor(fileName, c, "mask", manager);
            logitsS = LogitRows.select(logitsS, mask);
            logitsT = LogitRows.select(logitsT, mask);
        }
        return new Computed(loss.compute(logitsS, logitsT, tau), tracked);
    }

    private static void checkTemperature(
            LossRegistry registry, String fileName, String key, GoldenCases.Case c, NDManager manager) {
        requireName(fileName, "temperature scheduler", key, registry.temperatureNames());
        Map<String, Object> args = new LinkedHashMap<>(c.args());
        Object base = args.remove("base_temperature");
        assertTrue(base instanceof Number, fileName + "/" + c.name() + ": args.base_temperature is missing");
        TemperatureScheduler scheduler = registry.temperature(key, new LossArgs(args));
        NDArray tau = scheduler.temperature(
                tensor(fileName, c, "logits_S", manager),
                tensor(fileName, c, "logits_T", manager),
                ((Number) base).doubleValue());
        if (c.expectedTensor() == null) {
            assertScalar(fileName, c, tau);
            return;
        }
        assertArrayEquals(
                c.expectedTensor().shape(),
                tau.getShape().getShape(),
                fileName + "/" + c.name() + ": shape of the temperature");
        double[] expected = c.expectedTensor().data();
        double[] actual = tau.toType(DataType.FLOAT64, false).toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            int row = i;
            assertTrue(
                    c.close(expected[i], actual[i]),
                    () -> fileName + "/" + c.name() + ": row " + row + " expected " + expected[row] + ", got "
                            + actual[row]);
        }
    }

    private static void checkMatch(
            LossRegistry registry, String fileName, String key, GoldenCases.Case c, NDManager manager) {
        assertScalar(fileName, c, computeMatch(registry, fileName, key, c, manager, false).value());
    }

    /** Computes an intermediate-match case's loss; with {@code track}, the student inputs carry a gradient. */
    static Computed computeMatch(
            LossRegistry registry, String fileName, String key, GoldenCases.Case c, NDManager manager, boolean track) {
        requireName(fileName, "intermediate-match loss", key, registry.matchNames());
        MatchLoss loss = registry.match(key, new LossArgs(c.args()));
        List<NDArray> student = new ArrayList<>();
        List<NDArray> teacher = new ArrayList<>();
        List<NDArray> tracked = new ArrayList<>();
        if (c.inputs().containsKey("view_1")) {
            tracked.addAll(tensors(c, "view_1", manager));
            trackIf(track, tracked);
            student.addAll(tracked);
            teacher.addAll(tensors(c, "view_2", manager));
        } else {
            String role = null;
            for (String name : c.inputs().keySet()) {
                if (name.endsWith("_S") && c.inputs().containsKey(name.substring(0, name.length() - 2) + "_T")) {
                    if (role != null) {
                        fail(fileName + "/" + c.name() + ": more than one student/teacher role: " + c.inputs().keySet());
                    }
                    role = name.substring(0, name.length() - 2);
                }
            }
            if (role == null) {
                fail(fileName + "/" + c.name() + ": no X_S / X_T input pair among " + c.inputs().keySet());
            }
            tracked.addAll(tensors(c, role + "_S", manager));
            trackIf(track, tracked); // before layers() slices a stacked tensor
            student.addAll(layers(role, tracked));
            teacher.addAll(layers(role, tensors(c, role + "_T", manager)));
        }
        if (!track) {
            tracked.clear();
        }
        NDArray mask = c.input("mask") == null ? null : tensor(fileName, c, "mask", manager);
        return new Computed(loss.compute(student, teacher, mask), tracked);
    }

    private static void trackIf(boolean track, List<NDArray> inputs) {
        if (track) {
            inputs.forEach(x -> x.setRequiresGradient(true));
        }
    }

    /** CKD's stacked hidden states [B, K+1, L, d] become K+1 tensors [B, L, d]; anything else passes through. */
    private static List<NDArray> layers(String role, List<NDArray> given) {
        if (!"hidden".equals(role) || given.size() != 1 || given.get(0).getShape().dimension() != 4) {
            return given;
        }
        NDArray stacked = given.get(0);
        List<NDArray> out = new ArrayList<>();
        for (long k = 0; k < stacked.getShape().get(1); k++) {
            out.add(stacked.get(":, " + k));
        }
        return out;
    }

    private static void requireName(String fileName, String kind, String key, java.util.Set<String> known) {
        if (!known.contains(key)) {
            fail("golden file " + fileName + " names " + kind + " '" + key + "', which the registry lacks; known: "
                    + known);
        }
    }

    private static void assertScalar(String fileName, GoldenCases.Case c, NDArray value) {
        assertEquals(0, value.getShape().dimension(), fileName + "/" + c.name() + ": result must be a scalar, got "
                + value.getShape());
        assertEquals(DataType.FLOAT32, value.getDataType(), fileName + "/" + c.name() + ": result type");
        double actual = value.toType(DataType.FLOAT64, false).getDouble();
        double expected = c.expectedScalar();
        assertTrue(
                c.close(expected, actual),
                () -> fileName + "/" + c.name() + ": expected " + expected + ", got " + actual + " (tolerance "
                        + c.tolerance() + ")");
    }

    private static NDArray tensor(String fileName, GoldenCases.Case c, String role, NDManager manager) {
        GoldenCases.Tensor t = c.input(role);
        if (t == null) {
            fail(fileName + "/" + c.name() + ": input '" + role + "' is missing; inputs are " + c.inputs().keySet());
        }
        return t.toNDArray(manager, DataType.FLOAT32);
    }

    private static List<NDArray> tensors(GoldenCases.Case c, String role, NDManager manager) {
        List<NDArray> out = new ArrayList<>();
        for (GoldenCases.Tensor t : c.inputs().getOrDefault(role, List.of())) {
            out.add(t.toNDArray(manager, DataType.FLOAT32));
        }
        return out;
    }

    /** The directory of golden files: -Dgolden.dir, else this module's test resources. */
    static Path goldenDir() throws IOException {
        String given = System.getProperty("golden.dir");
        if (given != null && !given.isBlank()) {
            Path p = Paths.get(given);
            if (!p.isAbsolute() && !Files.isDirectory(p.toAbsolutePath())) {
                Path parent = Paths.get("").toAbsolutePath().getParent(); // relative to the project root
                if (parent != null && Files.isDirectory(parent.resolve(p))) {
                    p = parent.resolve(p);
                }
            }
            if (!Files.isDirectory(p)) {
                throw new IOException("-Dgolden.dir=" + given + " is not a directory (resolved to " + p.toAbsolutePath()
                        + ")");
            }
            return p;
        }
        URL url = GoldenConformanceTest.class.getResource("/golden");
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                return Paths.get(url.toURI());
            } catch (URISyntaxException e) {
                throw new IOException("bad golden resource URL " + url, e);
            }
        }
        for (Path p : List.of(Paths.get("src/test/resources/golden"), Paths.get("distiller-losses/src/test/resources/golden"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IOException("no golden directory: set -Dgolden.dir=DIR");
    }
}
