package ai.distill4j.loss.feature;

import ai.distill4j.loss.Arity;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/** Brings attention maps to the {@code (B, H, L, L)} layout the attention losses share. */
final class AttentionMaps {

    private AttentionMaps() {}

    /**
     * Checks the inputs of a SINGLE attention match and brings both sides to {@code (B, H, L, L)} (the teacher's as
     * a constant, {@link MatchInputs#constant}), reduced over the heads when asked, of one shape.
     *
     * @param name registry name
     * @param student the student's one tensor
     * @param teacher the teacher's one tensor
     * @param heads every head, or their sum or mean ({@link #reduceHeads})
     * @return the student's and the teacher's maps
     */
    static Matched matched(String name, List<NDArray> student, List<NDArray> teacher, HeadReduction heads) {
        MatchInputs.checkCount(name, Arity.SINGLE, student, teacher);
        NDArray s = heads(name, "student", student.get(0));
        if (heads != HeadReduction.KEEP) {
            s = reduceHeads(s, heads == HeadReduction.MEAN);
        }
        NDArray t = heads(name, "teacher", MatchInputs.constant(teacher.get(0), student.get(0)));
        if (heads != HeadReduction.KEEP) {
            t = reduceHeads(t, heads == HeadReduction.MEAN);
        }
        MatchInputs.checkSameShape(name, s, t, "");
        return new Matched(s, t);
    }

    /** What a match does with the head axis before comparing. */
    enum HeadReduction {
        /** Every head is compared. */
        KEEP,
        /** The heads' sum is compared. */
        SUM,
        /** The heads' mean is compared. */
        MEAN
    }

    /**
     * The two sides of an attention match.
     *
     * @param student the student's maps
     * @param teacher the teacher's maps, a constant
     */
    record Matched(NDArray student, NDArray teacher) {}

    /**
     * Accepts {@code (B, H, L, L)} as is and {@code (B, L, L)} as a single head.
     *
     * @param name registry name
     * @param role "student" or "teacher"
     * @param a the attention maps
     * @return {@code (B, H, L, L)}
     */
    static NDArray heads(String name, String role, NDArray a) {
        MatchInputs.checkRank(name, role, a, new int[] {3, 4}, "(B, H, L, L) or (B, L, L)");
        long[] dims = a.getShape().getShape();
        if (dims[dims.length - 1] != dims[dims.length - 2]) {
            throw new IllegalArgumentException(
                    "loss '" + name + "' takes square attention maps (..., L, L), got " + role + " " + a.getShape());
        }
        return a.getShape().dimension() == 3 ? a.expandDims(1) : a;
    }

    /**
     * Sums or averages over the head axis, keeping it, and saturates the result at the type's largest finite
     * magnitude. Scores carrying an additive {@code finfo.min} mask would otherwise overflow to {@code -inf} (twelve
     * heads of {@code -3.4e38} sum to {@code -inf}, and PyTorch's mean overflows the same way), and
     * {@code -inf - -inf} or {@code 0 * -inf} then makes the masked loss NaN, as it does in TextBrewer. Finite
     * results are unchanged.
     *
     * @param a {@code (B, H, L, L)}
     * @param mean true for the mean over heads, false for the sum
     * @return {@code (B, 1, L, L)}
     */
    static NDArray reduceHeads(NDArray a, boolean mean) {
        int[] heads = {1};
        NDArray reduced = mean ? a.mean(heads, true) : a.sum(heads, true);
        double max = a.getDataType() == DataType.FLOAT64 ? Double.MAX_VALUE : Float.MAX_VALUE;
        return reduced.clip(-max, max);
    }
}
