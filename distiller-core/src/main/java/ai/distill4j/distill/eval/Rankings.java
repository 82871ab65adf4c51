package ai.distill4j.distill.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Orders candidates by score, highest first. Ties go to the lower candidate index, so every result is
 * deterministic.
 */
final class Rankings {

    private Rankings() {}

    /**
     * Returns the indices of the {@code k} highest scores, best first, leaving out {@code exclude}.
     *
     * @param scores the scores
     * @param k how many
     * @param exclude an index to skip, or -1
     * @return at most {@code k} indices
     */
    static int[] top(double[] scores, int k, int exclude) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, order(scores));
        int[] out = new int[Math.min(k, exclude >= 0 && exclude < scores.length ? scores.length - 1 : scores.length)];
        int n = 0;
        for (int i = 0; i < idx.length && n < out.length; i++) {
            if (idx[i] != exclude) {
                out[n++] = idx[i];
            }
        }
        return out;
    }

    /**
     * Returns the 1-based rank of a candidate: 1 + the candidates scored higher + the candidates scored the same
     * with a lower index.
     *
     * @param scores the scores
     * @param candidate the candidate
     * @return the rank, from 1
     */
    static int rank(double[] scores, int candidate) {
        double s = scores[candidate];
        int r = 1;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > s || (scores[i] == s && i < candidate)) {
                r++;
            }
        }
        return r;
    }

    private static Comparator<Integer> order(double[] scores) {
        return (a, b) -> {
            int c = Double.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        };
    }
}
