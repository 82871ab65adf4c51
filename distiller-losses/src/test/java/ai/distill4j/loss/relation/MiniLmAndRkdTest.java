package ai.distill4j.loss.relation;

import static ai.distill4j.loss.relation.TestTensors.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.distill4j.loss.LossArgs;
import ai.distill4j.loss.LossRegistry;
import ai.distill4j.loss.MatchLoss;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MiniLM, MiniLMv2 and RKD against hand-computed values. The attention and RKD vectors are kd-losses.md section 4;
 * the value-relation and MiniLMv2 vectors were computed with a plain numpy loop over each example's valid square
 * (the bloomberg/minilmv2.bb reduction), independently of this code.
 */
class MiniLmAndRkdTest {

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

    private NDArray referenceMask(DataType type) {
        return TestTensors.mask(manager, 4, 4, 3).toType(type, false);
    }

    /** S[b][h][i][j] = sin(0.3+b+0.5h+0.7i+0.2j) + ext, with ext = -10000 on padding key columns. */
    private NDArray attentionS(DataType type) {
        return TestTensors.of(manager, type,
                i -> Math.sin(0.3 + i[0] + 0.5 * i[1] + 0.7 * i[2] + 0.2 * i[3]) + (i[0] == 1 && i[3] == 3 ? -10000 : 0),
                2, 2, 4, 4);
    }

    /** T[b][h][i][j] = 1.5 cos(0.1+b+0.4h+0.3i+0.6j) + ext. */
    private NDArray attentionT(DataType type) {
        return TestTensors.of(manager, type,
                i -> 1.5 * Math.cos(0.1 + i[0] + 0.4 * i[1] + 0.3 * i[2] + 0.6 * i[3])
                        + (i[0] == 1 && i[3] == 3 ? -10000 : 0),
                2, 2, 4, 4);
    }

    /** Per-head vectors x[b][a][i][k] = sin(0.2+0.9b+0.4a+0.5i+0.3k(i+1)). */
    private NDArray headsS(DataType type, long heads, long size) {
        return TestTensors.of(manager, type,
                i -> Math.sin(0.2 + 0.9 * i[0] + 0.4 * i[1] + 0.5 * i[2] + 0.3 * i[3] * (i[2] + 1)), 2, heads, 4, size);
    }

    /** Per-head vectors x[b][a][i][k] = cos(0.1+0.7b+0.3a+0.45i+0.25k(i+2)). */
    private NDArray headsT(DataType type, long heads, long size) {
        return TestTensors.of(manager, type,
                i -> Math.cos(0.1 + 0.7 * i[0] + 0.3 * i[1] + 0.45 * i[2] + 0.25 * i[3] * (i[2] + 2)), 2, heads, 4, size);
    }

    private static double tolerance(DataType type) {
        return type == DataType.FLOAT64 ? 1e-13 : 2e-6;
    }

    private static double compute(MatchLoss loss, NDArray s, NDArray t, NDArray mask) {
        NDArray result = loss.compute(List.of(s), List.of(t), mask);
        assertEquals(s.getDataType(), result.getDataType(), "the result keeps the inputs' dtype");
        assertEquals(0, result.getShape().dimension(), "the result is a scalar");
        return value(result);
    }

    @Test
    void attentionKlMatchesTheReferenceValueForScoresAndForProbabilities() {
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            NDArray mask = referenceMask(type);
            double scores = compute(REGISTRY.match("minilm_attention", LossArgs.EMPTY), attentionS(type), attentionT(type), mask);
            assertEquals(0.1793813257301501, scores, tolerance(type) * 10, type.toString());
            double probs = compute(REGISTRY.match("minilm_attention", LossArgs.of("attention", "probs")),
                    attentionS(type).softmax(-1), attentionT(type).softmax(-1), mask);
            assertEquals(0.1793813257301501, probs, tolerance(type) * 10, type.toString());
        }
    }

    @Test
    void valueRelationMatchesTheReferenceValueForPerHeadAndJoinedInputs() {
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            NDArray mask = referenceMask(type);
            NDArray s = headsS(type, 2, 3);
            NDArray t = headsT(type, 2, 5);
            double perHead = compute(REGISTRY.match("minilm_value", LossArgs.EMPTY), s, t, mask);
            assertEquals(0.027867959046597224, perHead, tolerance(type), type.toString());
            double joined = compute(REGISTRY.match("minilm_value", LossArgs.of("heads", 2)), Heads.merge(s), Heads.merge(t), mask);
            assertEquals(0.027867959046597224, joined, tolerance(type), type.toString());
        }
    }

    @Test
    void miniLmV2MatchesTheReferenceValuesForEveryRelationHeadCount() {
        double[][] expected = {{1, 0.05331406664077789}, {2, 0.04377586107565505}, {3, 0.03765519252808591},
            {6, 0.05890851371299534}};
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            NDArray mask = referenceMask(type);
            NDArray s = headsS(type, 2, 3); // 2 heads of 3: hidden 6
            NDArray t = headsT(type, 3, 4); // 3 heads of 4: hidden 12
            for (double[] e : expected) {
                MatchLoss loss = REGISTRY.match("minilmv2", LossArgs.of("relation", "qq", "relation_heads", (int) e[0]));
                assertEquals(e[1], compute(loss, s, t, mask), tolerance(type), type + " A_r=" + e[0]);
                assertEquals(e[1], compute(loss, Heads.merge(s), Heads.merge(t), mask), tolerance(type));
            }
        }
    }

    @Test
    void miniLmLossesAreZeroWhenStudentEqualsTeacher() {
        NDArray mask = TestTensors.mask(manager, 5, 5, 2);
        NDArray a = TestTensors.normal(manager, 51, 2, 3, 5, 5);
        NDArray v = TestTensors.normal(manager, 52, 2, 3, 5, 4);
        assertEquals(0, compute(REGISTRY.match("minilm_attention", LossArgs.EMPTY), a, a, mask), 1e-14);
        assertEquals(0, compute(REGISTRY.match("minilm_value", LossArgs.EMPTY), v, v, mask), 1e-14);
        assertEquals(0, compute(REGISTRY.match("minilmv2", LossArgs.of("relation_heads", 6)), v, v, mask), 1e-14);
    }

    @Test
    void anExampleWithoutRealTokensContributesNothingAndStaysFinite() {
        NDArray a = TestTensors.normal(manager, 53, 2, 2, 4, 4);
        NDArray b = TestTensors.normal(manager, 54, 2, 2, 4, 4);
        MatchLoss loss = REGISTRY.match("minilm_attention", LossArgs.EMPTY);
        double both = compute(loss, a, b, TestTensors.mask(manager, 4, 4, 0));
        double first = compute(loss, a.get("0:1"), b.get("0:1"), TestTensors.mask(manager, 4, 4));
        assertEquals(first / 2, both, 1e-14); // the empty example counts in the batch mean with 0
    }

    @Test
    void rkdMatchesTheReferenceValuesAndIgnoresTheStudentsScale() {
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            NDArray s = TestTensors.of(manager, type, i -> Math.sin(0.3 + 0.5 * i[0] + 0.8 * i[1]), 4, 3);
            NDArray t = TestTensors.of(manager, type, i -> Math.cos(0.1 + 0.7 * i[0] + 0.4 * i[1]), 4, 5);
            MatchLoss distance = REGISTRY.match("rkd_distance", LossArgs.EMPTY);
            MatchLoss angle = REGISTRY.match("rkd_angle", LossArgs.EMPTY);
            double tol = type == DataType.FLOAT64 ? 1e-15 : 1e-7;
            assertEquals(0.0068138866761643605, compute(distance, s, t, null), tol, type.toString());
            assertEquals(0.001376919242160652, compute(angle, s, t, null), tol, type.toString());
            assertEquals(0.0068138866761643605, compute(distance, s.mul(5), t, null), tol, type.toString());
            assertEquals(0.001376919242160652, compute(angle, s.mul(5), t, null), tol, type.toString());
        }
    }

    @Test
    void rkdAngleGivesExactlyZeroForDuplicateVectors() {
        NDArray s = TestTensors.normal(manager, 55, 3, 4);
        NDArray dup = s.concat(s.get("0:1"), 0); // the last row repeats the first
        assertEquals(0, compute(REGISTRY.match("rkd_angle", LossArgs.EMPTY), dup, dup, null), 0);
        assertEquals(0, compute(REGISTRY.match("rkd_distance", LossArgs.EMPTY), dup, dup, null), 0);
    }

    @Test
    void theTeacherGetsNoGradient() {
        NDArray mask = TestTensors.mask(manager, 4, 4, 3);
        Object[][] cases = {
            {"minilm_attention", LossArgs.EMPTY, new long[] {2, 2, 4, 4}, new long[] {2, 2, 4, 4}},
            {"minilm_value", LossArgs.EMPTY, new long[] {2, 2, 4, 3}, new long[] {2, 2, 4, 5}},
            {"minilmv2", LossArgs.of("relation_heads", 2), new long[] {2, 2, 4, 3}, new long[] {2, 4, 4, 2}},
            {"rkd_distance", LossArgs.EMPTY, new long[] {4, 3}, new long[] {4, 6}},
            {"rkd_angle", LossArgs.EMPTY, new long[] {4, 3}, new long[] {4, 6}},
        };
        for (Object[] c : cases) {
            NDArray s = TestTensors.normal(manager, 56, (long[]) c[2]);
            NDArray t = TestTensors.normal(manager, 57, (long[]) c[3]);
            s.setRequiresGradient(true);
            t.setRequiresGradient(true);
            MatchLoss loss = REGISTRY.match((String) c[0], (LossArgs) c[1]);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.compute(List.of(s), List.of(t), ((long[]) c[2]).length == 4 ? mask : null));
            }
            assertTrue(value(s.getGradient().abs().sum()) > 0, c[0] + ": the student must get a gradient");
            assertEquals(0, value(t.getGradient().abs().sum()), 0, c[0] + ": the teacher must get none");
        }
    }

    @Test
    void shapeAndArgumentErrorsNameTheProblem() {
        NDArray mask = TestTensors.mask(manager, 4, 4, 3);
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> compute(REGISTRY.match("minilm_value", LossArgs.EMPTY), headsS(DataType.FLOAT64, 2, 3),
                        headsT(DataType.FLOAT64, 3, 3), mask));
        assertTrue(heads.getMessage().contains("same head count"), heads.getMessage());
        IllegalArgumentException joined = assertThrows(IllegalArgumentException.class,
                () -> compute(REGISTRY.match("minilm_value", LossArgs.EMPTY), TestTensors.normal(manager, 1, 2, 4, 6),
                        TestTensors.normal(manager, 2, 2, 4, 6), mask));
        assertTrue(joined.getMessage().contains("'heads' must be set"), joined.getMessage());
        IllegalArgumentException divide = assertThrows(IllegalArgumentException.class,
                () -> compute(REGISTRY.match("minilmv2", LossArgs.of("relation_heads", 4)), headsS(DataType.FLOAT64, 2, 3),
                        headsT(DataType.FLOAT64, 3, 4), mask));
        assertTrue(divide.getMessage().contains("'relation_heads' (4) must divide the student hidden size 6"),
                divide.getMessage());
        IllegalArgumentException relation = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.match("minilmv2", LossArgs.of("relation", "qk")));
        assertTrue(relation.getMessage().contains("'relation' must be one of qq, kk, vv"), relation.getMessage());
        IllegalArgumentException attention = assertThrows(IllegalArgumentException.class,
                () -> compute(REGISTRY.match("minilm_attention", LossArgs.EMPTY), attentionS(DataType.FLOAT64),
                        TestTensors.normal(manager, 3, 2, 3, 4, 4), mask));
        assertTrue(attention.getMessage().contains("one shape"), attention.getMessage());
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.match("minilm_attention", LossArgs.of("attention", "logits")));
        assertTrue(input.getMessage().contains("\"scores\" or \"probs\""), input.getMessage());
    }

    @Test
    void singleLayerLossesRejectLayerLists() {
        NDArray s = TestTensors.normal(manager, 4, 4, 3);
        for (String name : List.of("minilm_attention", "minilm_value", "minilmv2", "rkd_distance", "rkd_angle")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> REGISTRY.match(name, LossArgs.EMPTY).compute(List.of(s, s), List.of(s, s), null));
            assertTrue(e.getMessage().contains("takes a single layer"), name + ": " + e.getMessage());
        }
    }
}
