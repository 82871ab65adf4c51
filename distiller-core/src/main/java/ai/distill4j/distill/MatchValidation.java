package ai.distill4j.distill;

import ai.distill4j.ValidationException;
import ai.distill4j.distill.adapt.FeatureShape;
import ai.distill4j.distill.config.IntermediateMatch;
import ai.distill4j.distill.config.Projection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks intermediate matches against the feature layouts of the teacher's and the student's adaptors before
 * training: every layer index in range, the projection's widths equal to the student's and the teacher's, and equal
 * widths (or a projection) for the losses that compare features element by element.
 *
 * @since 0.1.0
 */
final class MatchValidation {

    /**
     * The losses that compare student and teacher features element by element, so their widths (hidden size, or
     * number of heads for attention maps) must be equal unless a projection maps the student's to the teacher's.
     */
    public static final Set<String> SAME_WIDTH_LOSSES =
            Set.of("hidden_mse", "cos", "pkd", "fsp", "gram", "fsp_loss", "attention_mse", "attention_ce",
                    "embedding_mse", "contrastive", "simcse");

    private MatchValidation() {}

    /**
     * Validates matches.
     *
     * @param matches the matches
     * @param teacher the teacher adaptor's layout (empty when unknown: nothing is checked for that side)
     * @param student the student adaptor's layout
     * @throws ValidationException naming the match, the field, the value and the rule
     */
    public static void check(
            List<IntermediateMatch> matches, Map<String, FeatureShape> teacher, Map<String, FeatureShape> student) {
        for (int i = 0; i < matches.size(); i++) {
            IntermediateMatch m = matches.get(i);
            String field = "distillation_config.intermediate_matches[" + i + "]";
            FeatureShape t = teacher.get(m.feature());
            FeatureShape s = student.get(m.feature());
            if (!teacher.isEmpty() && t == null) {
                throw new ValidationException(field + ".feature = '" + m.feature() + "': the teacher's adaptor "
                        + "provides no such feature; it provides " + teacher.keySet());
            }
            if (!student.isEmpty() && s == null) {
                throw new ValidationException(field + ".feature = '" + m.feature() + "': the student's adaptor "
                        + "provides no such feature; it provides " + student.keySet());
            }
            if (t != null) {
                checkRange(field + ".layer_T", m, m.layerT(), t, "teacher");
            }
            if (s != null) {
                checkRange(field + ".layer_S", m, m.layerS(), s, "student");
            }
            if (m.proj().isPresent()) {
                Projection p = m.proj().get();
                if (s != null && p.dimIn() != s.width()) {
                    throw new ValidationException(field + ".proj[1] = " + p.dimIn() + ": dim_in must be the "
                            + "student's '" + m.feature() + "' width, " + s.width());
                }
                if (t != null && p.dimOut() != t.width()) {
                    throw new ValidationException(field + ".proj[2] = " + p.dimOut() + ": dim_out must be the "
                            + "teacher's '" + m.feature() + "' width, " + t.width());
                }
            } else if (s != null && t != null && s.width() != t.width() && SAME_WIDTH_LOSSES.contains(m.loss())) {
                String what = m.feature().equals("attention") ? "head count" : "width";
                throw new ValidationException(field + ": the student's '" + m.feature() + "' " + what + " ("
                        + s.width() + ") differs from the teacher's (" + t.width() + ") and loss '" + m.loss()
                        + "' compares them element by element"
                        + (m.feature().equals("attention")
                                ? "; use attention_mse_sum or attention_ce_mean, which average over heads"
                                : "; add \"proj\": [\"linear\", " + s.width() + ", " + t.width() + "]"));
            }
        }
    }

    private static void checkRange(String field, IntermediateMatch m, List<Integer> layers, FeatureShape shape,
            String side) {
        for (int layer : layers) {
            if (layer >= shape.count()) {
                throw new ValidationException(field + " = " + (m.isListForm() ? layers : layer) + ": layer "
                        + layer + " is out of range: the " + side + "'s '" + m.feature() + "' list has "
                        + shape.count() + " entries (0.." + (shape.count() - 1) + ")");
            }
        }
    }
}
