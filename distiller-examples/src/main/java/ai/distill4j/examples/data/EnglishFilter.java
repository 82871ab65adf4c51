package ai.distill4j.examples.data;

/**
 * Tells English paragraphs from other languages by the share of their words that are common English function words
 * ({@code the}, {@code of}, {@code and}, {@code that}, {@code which}, ...; words shared with other Europarl languages,
 * such as {@code in}, {@code is}, {@code on} or {@code to}, are left out).
 *
 * <p>On the Europarl sample this share is at least 0.12 for almost all English lines and below 0.05 for every
 * other line (measured over all 17,597 lines), so the threshold {@value #THRESHOLD} separates them cleanly. It is a
 * heuristic for paragraphs: on a handful of words it guesses.
 *
 * @since 0.1.0
 */
public final class EnglishFilter {

    /** The smallest function-word share that counts as English. */
    public static final double THRESHOLD = 0.08;

    private static final String[] FUNCTION_WORDS = {
                    "the", "of", "and", "that", "this", "with", "have", "which", "will", "would", "are", "was",
                    "been", "from", "should", "these", "there", "their", "they", "what"
    };

    private EnglishFilter() {}

    /**
     * Returns the share of the words of a text that are English function words. Words are maximal runs of letters,
     * compared in lower case.
     *
     * @param text any text
     * @return a value in [0, 1]; 0 for a text without words
     */
    public static double functionWordShare(String text) {
        int words = 0;
        int hits = 0;
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean letter = i < text.length() && Character.isLetter(text.charAt(i));
            if (letter && start < 0) {
                start = i;
            } else if (!letter && start >= 0) {
                words++;
                if (isFunctionWord(text, start, i - start)) {
                    hits++;
                }
                start = -1;
            }
        }
        return words == 0 ? 0 : (double) hits / words;
    }

    private static boolean isFunctionWord(String text, int start, int length) {
        if (length > 6) {
            return false;
        }
        for (String word : FUNCTION_WORDS) {
            if (word.length() == length && text.regionMatches(true, start, word, 0, length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells whether a paragraph looks English.
     *
     * @param text any text
     * @return whether its function-word share is at least {@link #THRESHOLD}
     */
    public static boolean looksEnglish(String text) {
        return functionWordShare(text) >= THRESHOLD;
    }
}
