package ai.distill4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.distill4j.loss.testing.GoldenCases;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss's gradient is the same whether or not garbage collections run between its forward and its backward pass.
 *
 * <p>The regression this guards (see {@link GraphScalar}): a number in {@code x.mul(0.5f)} becomes a 0-d array over a
 * Java direct buffer that PyTorch keeps for the backward pass; a collection frees the buffer, new Java buffers reuse
 * its memory, and the backward pass reads whatever they hold. Here the freed memory is refilled with NaN on purpose,
 * so a constant that still lives in Java memory shows as a NaN or changed gradient. One dynamic test per golden case
 * of a KD or intermediate-match loss.
 */
class GraphConstantsSurviveCollectionsTest {

    @TestFactory
    Stream<DynamicTest> gradientsAreTheSameWhenCollectionsRunBeforeBackward() throws IOException {
        Path dir = GoldenConformanceTest.goldenDir();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith(GoldenConformanceTest.TEMPERATURE_PREFIX))
                    .sorted()
                    .collect(Collectors.toList());
        }
        LossRegistry registry = LossRegistry.withBuiltIns();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String stem = fileName.substring(0, fileName.length() - ".json".length());
            GoldenCases.File golden = GoldenCases.read(file);
            for (GoldenCases.Case c : golden.cases()) {
                tests.add(DynamicTest.dynamicTest(stem + "/" + c.name(), () -> {
                    float[] quiet = gradient(registry, fileName, stem, golden, c, false);
                    float[] collected = gradient(registry, fileName, stem, golden, c, true);
                    for (float g : collected) {
                        assertFalse(Float.isNaN(g), stem + "/" + c.name() + ": NaN gradient after collections");
                    }
                    assertArrayEquals(quiet, collected, stem + "/" + c.name() + ": gradient changed by collections");
                }));
            }
        }
        return tests.stream();
    }

    private static float[] gradient(LossRegistry registry, String fileName, String stem, GoldenCases.File golden,
            GoldenCases.Case c, boolean collect) {
        try (NDManager manager = NDManager.newBaseManager()) {
            GoldenConformanceTest.Computed computed;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                computed = stem.startsWith(GoldenConformanceTest.KD_PREFIX)
                        ? GoldenConformanceTest.computeKd(registry, fileName,
                                stem.substring(GoldenConformanceTest.KD_PREFIX.length()), c, manager, true)
                        : GoldenConformanceTest.computeMatch(registry, fileName, golden.loss(), c, manager, true);
                if (collect) {
                    overwriteFreedJavaBuffers(manager);
                }
                gc.backward(computed.value());
            }
            List<Float> all = new ArrayList<>();
            for (NDArray x : computed.studentInputs()) {
                for (float g : x.getGradient().toFloatArray()) {
                    all.add(g);
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        }
    }

    /** Collects, waits for the cleaner to free unreachable direct buffers, then fills fresh ones with NaN. */
    private static void overwriteFreedJavaBuffers(NDManager manager) {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (NDManager junk = manager.newSubManager()) {
            for (int i = 0; i < 2000; i++) {
                junk.create(Float.NaN);
                junk.create(Double.NaN);
            }
        }
    }
}
