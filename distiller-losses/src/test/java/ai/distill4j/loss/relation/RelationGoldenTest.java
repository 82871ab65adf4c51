package ai.distill4j.loss.relation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import ai.distill4j.loss.testing.GoldenCases;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CKD relation losses reproduce the official code's values on the golden cases, in float32 and float64. */
class RelationGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"wr_dist", "wr_angle", "ltr_dist", "ltr_angle"})
    void ckdLossesMatchTheOfficialCodeOnEveryGoldenCase(String loss) throws Exception {
        GoldenCases.File file = GoldenCases.read(golden(loss));
        assertFalse(file.cases().isEmpty());
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            for (GoldenCases.Case c : file.cases()) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    List<NDArray> student = TestTensors.layers(c.input("hidden_S").toNDArray(manager, type));
                    List<NDArray> teacher = TestTensors.layers(c.input("hidden_T").toNDArray(manager, type));
                    NDArray mask = c.input("mask").toNDArray(manager, type);
                    MatchLoss l = LossRegistry.global().match(file.loss(), new LossArgs(c.args()));
                    NDArray result = l.compute(student, teacher, mask);
                    assertEquals(type, result.getDataType(), "the result keeps the inputs' dtype");
                    assertEquals(0, result.getShape().dimension(), "the result is a scalar");
                    double actual = result.toType(DataType.FLOAT64, false).getDouble();
                    assertTrue(
                            c.close(c.expectedScalar(), actual),
                            loss + "/" + c.name() + " " + type + ": expected " + c.expectedScalar() + ", got " + actual);
                }
            }
        }
    }

    @Test
    void stackedFormGivesTheSameValueAsTheListForm() throws Exception {
        GoldenCases.Case c = GoldenCases.read(golden("wr_dist")).cases().get(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray hs = c.input("hidden_S").toNDArray(manager, DataType.FLOAT64);
            NDArray ht = c.input("hidden_T").toNDArray(manager, DataType.FLOAT64);
            NDArray mask = c.input("mask").toNDArray(manager, DataType.FLOAT64);
            double stacked = new WordRelationDistance().compute(hs, ht, mask).getDouble();
            assertTrue(c.close(c.expectedScalar(), stacked));
        }
    }

    static Path golden(String name) throws URISyntaxException {
        return Path.of(RelationGoldenTest.class.getResource("/golden/" + name + ".json").toURI());
    }
}
