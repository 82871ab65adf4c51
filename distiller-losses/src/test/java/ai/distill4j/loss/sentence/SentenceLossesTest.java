package ai.distill4j.loss.sentence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import ai.distill4j.loss.testing.GoldenCases;
import ai.distill4j.loss.testing.GradientCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden values, gradients, invariances and errors of the sentence-vector losses. */
class SentenceLossesTest {

    private static final LossRegistry REGISTRY = LossRegistry.withBuiltIns();

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray normal(long seed, long... shape) {
        Random r = new Random(seed);
        double[] data = new double[(int) new Shape(shape).size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextGaussian();
        }
        return manager.create(data, new Shape(shape));
    }

    private static double value(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    private static double compute(MatchLoss loss, NDArray s, NDArray t) {
        return value(loss.compute(List.of(s), List.of(t), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedding_mse", "similarity_matrix", "contrastive", "simcse"})
    void sentenceLossesMatchEveryGoldenCase(String loss) throws Exception {
        GoldenCases.File file = GoldenCases.read(Path.of(getClass().getResource("/golden/" + loss + ".json").toURI()));
        assertFalse(file.cases().isEmpty());
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            for (GoldenCases.Case c : file.cases()) {
                boolean views = c.input("view_1") != null;
                NDArray s = c.input(views ? "view_1" : "sentence_S").toNDArray(manager, type);
                NDArray t = c.input(views ? "view_2" : "sentence_T").toNDArray(manager, type);
                NDArray result = REGISTRY.match(file.loss(), new LossArgs(c.args())).compute(List.of(s), List.of(t), null);
                assertEquals(type, result.getDataType(), "the result keeps the inputs' dtype");
                assertEquals(0, result.getShape().dimension(), "the result is a scalar");
                double actual = value(result);
                assertTrue(c.close(c.expectedScalar(), actual),
                        loss + "/" + c.name() + " " + type + ": expected " + c.expectedScalar() + ", got " + actual);
            }
        }
    }

    @Test
    void everyGradientAgreesWithCentralDifferences() {
        Object[][] cases = {
            {"embedding_mse", LossArgs.EMPTY, 5L},
            {"similarity_matrix", LossArgs.EMPTY, 7L},
            {"contrastive", LossArgs.of("temperature", 0.1), 5L},
            {"contrastive", LossArgs.of("temperature", 0.1, "symmetric", true), 5L},
            {"simcse", LossArgs.of("temperature", 0.1), 5L},
        };
        for (Object[] c : cases) {
            MatchLoss loss = REGISTRY.match((String) c[0], (LossArgs) c[1]);
            NDArray t = normal(2, 4, (long) c[2]);
            GradientCheck.assertGradient(
                    manager, x -> loss.compute(List.of(x), List.of(t), null), normal(1, 4, 5), 20, 1e-6);
        }
    }

    @Test
    void infoNceGivesGradientsToBothViewsWhenCalledDirectly() {
        NDArray v1 = normal(3, 4, 5);
        GradientCheck.assertGradient(
                manager, x -> InfoNce.infoNce(v1, x, 0.2, true), normal(4, 4, 5), 20, 1e-6);
        GradientCheck.assertGradient(
                manager, x -> InfoNce.infoNce(x, v1, 0.2, false), normal(5, 4, 5), 20, 1e-6);
    }

    @Test
    void symmetricContrastiveIsTheMeanOfBothDirections() {
        NDArray s = normal(6, 5, 4);
        NDArray t = normal(7, 5, 4);
        double forward = compute(new InfoNce(0.3, false), s, t);
        double backward = compute(new InfoNce(0.3, false), t, s);
        assertEquals((forward + backward) / 2, compute(new InfoNce(0.3, true), s, t), 1e-14);
        assertEquals(forward, compute(new SimCse(0.3), s, t), 1e-15);
    }

    @Test
    void matchingVectorsGiveZeroWhereTheFormulaAllows() {
        NDArray s = normal(8, 5, 4);
        assertEquals(0, compute(new EmbeddingMse(), s, s), 0);
        assertEquals(0, compute(new SimilarityMatrixMse(), s, s), 1e-15);
        // InfoNCE of identical views is not 0 (negatives still count), but it is the minimum over scalings
        assertTrue(compute(new InfoNce(0.05, false), s, s) < compute(new InfoNce(0.05, false), s, normal(9, 5, 4)));
    }

    @Test
    void cosineBasedLossesIgnoreTheStudentsScale() {
        NDArray s = normal(10, 5, 4);
        NDArray t = normal(11, 5, 4);
        NDArray wide = normal(12, 5, 9);
        for (MatchLoss loss : List.of(new InfoNce(0.1, true), new SimCse(0.1))) {
            assertEquals(compute(loss, s, t), compute(loss, s.mul(4.5), t), 1e-12);
        }
        MatchLoss matrix = new SimilarityMatrixMse();
        assertEquals(compute(matrix, s, wide), compute(matrix, s.mul(4.5), wide), 1e-14);
    }

    @Test
    void theTeacherGetsNoGradient() {
        for (MatchLoss loss : List.of(new EmbeddingMse(), new SimilarityMatrixMse(), new InfoNce(0.1, true), new SimCse(0.1))) {
            NDArray s = normal(13, 4, 5);
            NDArray t = normal(14, 4, 5);
            s.setRequiresGradient(true);
            t.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.compute(List.of(s), List.of(t), null));
            }
            assertTrue(value(s.getGradient().abs().sum()) > 0, loss.getClass().getSimpleName());
            assertEquals(0, value(t.getGradient().abs().sum()), 0, loss.getClass().getSimpleName());
        }
    }

    @Test
    void theTeacherSideNeverLandsInTheTeachersManager() {
        try (NDManager cache = NDManager.newBaseManager(); NDManager step = manager.newSubManager()) {
            NDArray t = normal(15, 4, 5);
            t.attach(cache);
            NDArray s = normal(16, 4, 5);
            s.attach(step);
            int before = cache.getManagedArrays().size();
            for (MatchLoss loss : List.of(new EmbeddingMse(), new SimilarityMatrixMse(), new InfoNce(0.1, true))) {
                loss.compute(List.of(s), List.of(t), null);
            }
            assertEquals(before, cache.getManagedArrays().size());
        }
    }

    @Test
    void widthsMustMatchWhereStudentAndTeacherAreComparedDirectly() {
        NDArray s = normal(17, 4, 5);
        NDArray t = normal(18, 4, 6);
        for (String name : List.of("embedding_mse", "contrastive", "simcse")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> compute(REGISTRY.match(name, LossArgs.EMPTY), s, t));
            assertTrue(e.getMessage().contains("widths must match"), name + ": " + e.getMessage());
        }
        assertTrue(compute(REGISTRY.match("similarity_matrix", LossArgs.EMPTY), s, t) > 0);
    }

    @Test
    void arityShapesAndArgumentsAreChecked() {
        NDArray s = normal(19, 4, 5);
        for (String name : List.of("embedding_mse", "similarity_matrix", "contrastive", "simcse")) {
            MatchLoss loss = REGISTRY.match(name, LossArgs.EMPTY);
            IllegalArgumentException arity = assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(List.of(s, s), List.of(s, s), null));
            assertTrue(arity.getMessage().contains("takes a single layer"), arity.getMessage());
            IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(List.of(normal(20, 2, 4, 5)), List.of(normal(21, 2, 4, 5)), null));
            assertTrue(rank.getMessage().contains("(batch, dim)"), rank.getMessage());
        }
        IllegalArgumentException temperature = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.match("contrastive", LossArgs.of("temperature", 0)));
        assertTrue(temperature.getMessage().contains("'temperature' must be a finite number > 0, got 0.0"),
                temperature.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.match("simcse", LossArgs.of("symmetric", true)));
        assertTrue(unknown.getMessage().contains("no argument 'symmetric'"), unknown.getMessage());
    }
}
