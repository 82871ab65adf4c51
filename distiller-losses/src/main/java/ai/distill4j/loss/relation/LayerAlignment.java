package ai.distill4j.loss.relation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which teacher and student hidden states a multi-layer relation loss compares, as CKD chooses them.
 *
 * <p>Indices count hidden states the HuggingFace way: 0 is the embedding output and {@code n} the output of encoder
 * layer {@code n}, so a model with N layers has indices 0..N. {@code teacher.get(k)} is aligned with
 * {@code student.get(k)}; pass the two lists as a match's {@code layer_T} and {@code layer_S}.
 *
 * <p>Strategies (CKD {@code utils.py matching_alignment}):
 *
 * <ul>
 *   <li>{@code "emb+skip"} (the default of the CKD relation losses): with {@code g = gcd(N_T, N_S)}, every
 *       {@code N_T/g}-th teacher state and every {@code N_S/g}-th student state from 0 to N: 12 to 6 gives teacher
 *       [0, 2, 4, ..., 12] and student [0, 1, ..., 6]; 6 to 3 gives [0, 2, 4, 6] and [0, 1, 2, 3].
 *   <li>{@code "emb"}: [0] and [0]. {@code "final"}: [N_T] and [N_S]. {@code "emb+final"}: [0, N_T] and
 *       [0, N_S]. {@code "triple"}: [0, N_T/2, N_T] and [0, N_S/2, N_S] (halves rounded down).
 * </ul>
 *
 * @param teacher the teacher's hidden-state indices
 * @param student the student's hidden-state indices, as many as the teacher's
 * @since 0.1.0
 */
public record LayerAlignment(List<Integer> teacher, List<Integer> student) {

    /**
     * Copies and checks the lists.
     *
     * @param teacher the teacher's hidden-state indices
     * @param student the student's hidden-state indices
     * @throws IllegalArgumentException when the lists differ in length, are empty, or hold a negative index
     */
    public LayerAlignment {
        teacher = List.copyOf(teacher);
        student = List.copyOf(student);
        if (teacher.isEmpty() || teacher.size() != student.size()) {
            throw new IllegalArgumentException(
                    "a layer alignment needs two non-empty lists of equal length, got teacher " + teacher
                            + " and student " + student);
        }
        for (List<Integer> side : List.of(teacher, student)) {
            for (int i : side) {
                if (i < 0) {
                    throw new IllegalArgumentException("hidden-state indices must be >= 0, got " + side);
                }
            }
        }
    }

    /**
     * The {@code "emb+skip"} alignment: gcd-based strides over the hidden states, embedding output included.
     *
     * @param teacherLayers N_T, the teacher's number of encoder layers (at least 1)
     * @param studentLayers N_S, the student's number of encoder layers (at least 1)
     * @return gcd(N_T, N_S) + 1 aligned pairs
     * @throws IllegalArgumentException when a depth is below 1
     */
    public static LayerAlignment embSkip(int teacherLayers, int studentLayers) {
        checkDepths(teacherLayers, studentLayers);
        int g = gcd(teacherLayers, studentLayers);
        int stepT = teacherLayers / g;
        int stepS = studentLayers / g;
        List<Integer> t = new ArrayList<>();
        List<Integer> s = new ArrayList<>();
        for (int k = 0; k <= g; k++) {
            t.add(k * stepT);
            s.add(k * stepS);
        }
        return new LayerAlignment(t, s);
    }

    /**
     * The alignment of a named strategy.
     *
     * @param strategy {@code "emb+skip"}, {@code "emb"}, {@code "final"}, {@code "emb+final"} or {@code "triple"}
     * @param teacherLayers N_T, the teacher's number of encoder layers (at least 1)
     * @param studentLayers N_S, the student's number of encoder layers (at least 1)
     * @return the alignment
     * @throws IllegalArgumentException for an unknown strategy or a depth below 1
     */
    public static LayerAlignment of(String strategy, int teacherLayers, int studentLayers) {
        checkDepths(teacherLayers, studentLayers);
        String s = strategy == null ? "" : strategy.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "emb+skip" -> embSkip(teacherLayers, studentLayers);
            case "emb" -> new LayerAlignment(List.of(0), List.of(0));
            case "final" -> new LayerAlignment(List.of(teacherLayers), List.of(studentLayers));
            case "emb+final" -> new LayerAlignment(List.of(0, teacherLayers), List.of(0, studentLayers));
            case "triple" -> new LayerAlignment(
                    List.of(0, teacherLayers / 2, teacherLayers), List.of(0, studentLayers / 2, studentLayers));
            default -> throw new IllegalArgumentException(
                    "unknown layer alignment '" + strategy + "'; known ones are "
                            + List.of("emb+skip", "emb", "final", "emb+final", "triple"));
        };
    }

    /**
     * Returns the number of aligned pairs, K+1.
     *
     * @return the size of each list
     */
    public int size() {
        return teacher.size();
    }

    private static void checkDepths(int teacherLayers, int studentLayers) {
        if (teacherLayers < 1 || studentLayers < 1) {
            throw new IllegalArgumentException(
                    "layer depths must be >= 1, got teacher " + teacherLayers + " and student " + studentLayers);
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
