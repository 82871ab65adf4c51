package ai.distill4j.loss.feature;

import ai.distill4j.loss.Arity;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Checks and prepares the inputs of a match loss: arity, shapes, the teacher as a gradient-free constant in the
 * student's manager, and the mask in the student's type.
 */
final class MatchInputs {

    /** TextBrewer's threshold: unmasked attention values {@code <= -1e-3} count as masked and become 0. */
    static final float MASKED_SCORE = -1e-3f;

    private MatchInputs() {}

    /**
     * Checks the number of tensors on each side.
     *
     * @param name registry name
     * @param arity the loss's arity
     * @param student the student's tensors
     * @param teacher the teacher's tensors
     */
    static void checkCount(String name, Arity arity, List<NDArray> student, List<NDArray> teacher) {
        if (student == null || teacher == null) {
            throw new IllegalArgumentException("loss '" + name + "' needs student and teacher tensors, got null");
        }
        arity.check(name, student.size());
        if (teacher.size() != student.size()) {
            throw new IllegalArgumentException(
                    "loss '" + name + "' needs as many teacher tensors as student tensors, got " + student.size()
                            + " student and " + teacher.size() + " teacher");
        }
    }

    /**
     * Checks the inputs of a loss over a PAIR of layers per side, each {@code (B, L, D)}, and returns them with the
     * teacher's layers as constants ({@link #constant}).
     *
     * @param name registry name
     * @param arity the loss's arity
     * @param student the student's two layers
     * @param teacher the teacher's two layers
     * @return the four tensors
     */
    static LayerPair layerPair(String name, Arity arity, List<NDArray> student, List<NDArray> teacher) {
        checkCount(name, arity, student, teacher);
        NDArray s0 = student.get(0);
        LayerPair p = new LayerPair(s0, student.get(1), constant(teacher.get(0), s0), constant(teacher.get(1), s0));
        String shapes = "(B, L, D)";
        checkRank(name, "student", p.s0(), new int[] {3}, shapes);
        checkRank(name, "student", p.s1(), new int[] {3}, shapes);
        checkRank(name, "teacher", p.t0(), new int[] {3}, shapes);
        checkRank(name, "teacher", p.t1(), new int[] {3}, shapes);
        return p;
    }

    /**
     * The two layers of each side of a PAIR loss.
     *
     * @param s0 the student's first layer
     * @param s1 the student's second layer
     * @param t0 the teacher's first layer, a constant
     * @param t1 the teacher's second layer, a constant
     */
    record LayerPair(NDArray s0, NDArray s1, NDArray t0, NDArray t1) {}

    /**
     * Returns a gradient-free view of a teacher tensor owned by the student's manager, in the student's type.
     *
     * @param teacher the teacher tensor
     * @param student the student tensor it is compared with
     * @return the detached teacher tensor
     */
    static NDArray constant(NDArray teacher, NDArray student) {
        NDManager owner = student.getManager();
        NDArray detached = teacher.stopGradient();
        detached.attach(owner);
        NDArray typed = detached.toType(student.getDataType(), false);
        if (typed != detached) {
            typed.attach(owner);
        }
        return typed;
    }

    /**
     * Returns the inputs mask as 0/1 values of the student's type, owned by the student's manager.
     *
     * @param name registry name
     * @param mask {@code (B, L)}, any numeric or boolean type
     * @param student the student tensor (type and owner)
     * @param batch expected {@code B}
     * @param length expected {@code L}
     * @return the mask
     */
    static NDArray mask(String name, NDArray mask, NDArray student, long batch, long length) {
        Shape want = new Shape(batch, length);
        if (!mask.getShape().equals(want)) {
            throw new IllegalArgumentException(
                    "loss '" + name + "' needs an inputs mask of shape " + want + " for student " + student.getShape()
                            + ", got " + mask.getShape());
        }
        NDArray m = mask.stopGradient();
        m.attach(student.getManager()); // everything derived from m now lands in the student's manager
        return m.neq(0).toType(student.getDataType(), false);
    }

    /**
     * Requires a rank.
     *
     * @param name registry name
     * @param role "student" or "teacher"
     * @param x the tensor
     * @param ranks the accepted ranks
     * @param shapes how the accepted shapes read, for the message
     */
    static void checkRank(String name, String role, NDArray x, int[] ranks, String shapes) {
        int d = x.getShape().dimension();
        for (int r : ranks) {
            if (r == d) {
                return;
            }
        }
        throw new IllegalArgumentException(
                "loss '" + name + "' takes " + role + " tensors of shape " + shapes + ", got " + x.getShape());
    }

    /**
     * Requires equal student and teacher shapes.
     *
     * @param name registry name
     * @param s student tensor
     * @param t teacher tensor
     * @param hint what to do about a mismatch
     */
    static void checkSameShape(String name, NDArray s, NDArray t, String hint) {
        if (!s.getShape().equals(t.getShape())) {
            throw new IllegalArgumentException(
                    "loss '" + name + "' needs student and teacher tensors of the same shape, got student "
                            + s.getShape() + " and teacher " + t.getShape() + hint);
        }
    }

    /**
     * Sets entries {@code <= -1e-3} to 0 (TextBrewer's treatment of additively masked attention without a mask).
     *
     * @param x the attention tensor
     * @return the tensor with those entries zeroed; the gradient passes where entries are kept
     */
    static NDArray zeroMaskedScores(NDArray x) {
        try (NDArray zero = x.getManager().zeros(new Shape(), x.getDataType())) {
            return NDArrays.where(x.gt(MASKED_SCORE), x, zero);
        }
    }

    /**
     * Returns the outer product of a {@code (B, L)} mask with itself: {@code m[b, i] * m[b, j]}.
     *
     * @param m the mask
     * @return {@code (B, L, L)}
     */
    static NDArray pairMask(NDArray m) {
        return m.expandDims(2).mul(m.expandDims(1));
    }
}
