package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.Arity;
import java.util.List;

/** Checks the one-tensor-per-side inputs of the single-layer relation losses. */
final class SingleInputs {

    private SingleInputs() {}

    /**
     * Checks that each side holds exactly one tensor of one of the accepted ranks.
     *
     * @param lossName the registry name, for messages
     * @param student the student's tensors
     * @param teacher the teacher's tensors
     * @param what a description of the accepted shapes, for messages
     * @param ranks the accepted ranks
     */
    static void check(String lossName, List<NDArray> student, List<NDArray> teacher, String what, int... ranks) {
        if (student == null || teacher == null) {
            throw new IllegalArgumentException("loss '" + lossName + "' needs a student and a teacher tensor, got null");
        }
        Arity.SINGLE.check(lossName, student.size());
        Arity.SINGLE.check(lossName, teacher.size());
        rank(lossName, "student", student.get(0).getShape(), what, ranks);
        rank(lossName, "teacher", teacher.get(0).getShape(), what, ranks);
    }

    /**
     * Checks the rank of one tensor.
     *
     * @param lossName the registry name, for messages
     * @param side "student" or "teacher"
     * @param shape the tensor's shape
     * @param what a description of the accepted shapes
     * @param ranks the accepted ranks
     */
    static void rank(String lossName, String side, Shape shape, String what, int... ranks) {
        for (int r : ranks) {
            if (shape.dimension() == r) {
                return;
            }
        }
        throw new IllegalArgumentException("loss '" + lossName + "' needs " + side + " " + what + ", got " + shape);
    }

    /**
     * Returns the teacher's tensor as a constant in the student's dtype.
     *
     * @param teacher the teacher's tensor
     * @param student the student's tensor
     * @return a detached array
     */
    static NDArray constant(NDArray teacher, NDArray student) {
        return AlignedLayers.constant(teacher, student);
    }
}
