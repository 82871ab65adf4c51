package ai.distill4j.loss.sentence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.Arity;
import java.util.List;

/** Checks the sentence-vector inputs of this package's losses and makes the teacher's side a constant. */
final class SentenceVectors {

    private SentenceVectors() {}

    /**
     * Checks one {@code (B, D)} tensor per side with the same B, and the same D when {@code sameWidth}.
     *
     * @param lossName the registry name, for messages
     * @param student the student's tensors
     * @param teacher the teacher's tensors
     * @param sameWidth whether the formula needs D_S = D_T
     */
    static void check(String lossName, List<NDArray> student, List<NDArray> teacher, boolean sameWidth) {
        if (student == null || teacher == null) {
            throw new IllegalArgumentException("loss '" + lossName + "' needs a student and a teacher tensor, got null");
        }
        Arity.SINGLE.check(lossName, student.size());
        Arity.SINGLE.check(lossName, teacher.size());
        Shape s = student.get(0).getShape();
        Shape t = teacher.get(0).getShape();
        if (s.dimension() != 2 || t.dimension() != 2) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs sentence vectors of shape (batch, dim), got student " + s
                            + " and teacher " + t);
        }
        if (s.get(0) != t.get(0)) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' needs the same batch size on both sides, got student " + s + " and teacher "
                            + t);
        }
        if (sameWidth && s.get(1) != t.get(1)) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' compares student and teacher vectors directly, so their widths must match"
                            + " (add a projection), got student " + s + " and teacher " + t);
        }
    }

    /**
     * Returns the teacher's vectors detached, in the student's dtype, owned by the student's manager (so nothing
     * computed from them lands in a long-lived teacher or cache manager).
     *
     * @param teacher the teacher's vectors
     * @param student the student's vectors
     * @return a constant
     */
    static NDArray constant(NDArray teacher, NDArray student) {
        NDArray t = teacher.stopGradient();
        t.attach(student.getManager());
        if (t.getDataType() != student.getDataType()) {
            NDArray c = t.toType(student.getDataType(), false);
            t.close();
            return c;
        }
        return t;
    }

    /**
     * Cosine similarities of every row of {@code a} with every row of {@code b}: {@code u(a) u(b)^T}, with
     * {@code u(x) = x / max(|x|, 1e-12)}.
     *
     * @param a {@code (N, D)}
     * @param b {@code (M, D)}
     * @return {@code (N, M)}
     */
    static NDArray cosines(NDArray a, NDArray b) {
        NDArray ua = a.normalize(2, -1, 1e-12);
        NDArray ub = a == b ? ua : b.normalize(2, -1, 1e-12);
        return ua.matMul(ub.transpose());
    }

    /**
     * Validates a temperature argument.
     *
     * @param lossName the registry name, for messages
     * @param temperature the value
     * @return the value
     */
    static double temperature(String lossName, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "loss '" + lossName + "' argument 'temperature' must be a finite number > 0, got " + temperature);
        }
        return temperature;
    }
}
