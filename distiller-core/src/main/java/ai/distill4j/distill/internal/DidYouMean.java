package ai.distill4j.distill.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggests the known name closest to a misspelt one, by Levenshtein distance (case-insensitive), for messages such
 * as {@code training_config.ckpt_step is not a known field; did you mean 'ckpt_steps'?}.
 *
 * <p>A suggestion is made only when the distance is small next to the name's length (at most 1 for names up to 3
 * characters, 2 up to 8, 3 beyond), so unrelated names are not offered.
 *
 * @since 0.1.0
 */
public final class DidYouMean {

    private DidYouMean() {}

    /**
     * Finds the closest known name.
     *
     * @param typo the name the user wrote
     * @param known the accepted names
     * @return the closest name within the allowed distance, empty when none is close
     */
    public static Optional<String> closest(String typo, Collection<String> known) {
        if (typo == null || known == null || known.isEmpty()) {
            return Optional.empty();
        }
        String t = typo.toLowerCase(Locale.ROOT);
        int limit = t.length() <= 3 ? 1 : t.length() <= 8 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new java.util.TreeSet<>(known)) {
            int d = distance(t, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= limit && !best.equals(typo) ? Optional.of(best) : Optional.empty();
    }

    /**
     * Returns the suggestion as a clause to append to a message.
     *
     * @param typo the name the user wrote
     * @param known the accepted names
     * @return {@code "; did you mean 'x'?"}, or an empty string when no name is close
     */
    public static String hint(String typo, Collection<String> known) {
        return closest(typo, known).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /**
     * Computes the Levenshtein distance: the fewest single-character insertions, deletions and substitutions that
     * turn one string into the other.
     *
     * @param a one string
     * @param b the other
     * @return the distance, 0 for equal strings
     */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
