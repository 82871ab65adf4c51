package ai.distill4j.examples.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A small rule-based sentence splitter for parliamentary prose in Latin, Greek or Cyrillic script. A sentence ends
 * at {@code .}, {@code !} or {@code ?}, optionally followed by closing quotes or brackets, when a space and then an
 * upper-case letter, a digit or an opening quote or bracket follow; a period after a short capitalised word
 * ({@code Mr.}, {@code Hr.}, {@code Nr.}) or a single letter (an initial) does not end a sentence.
 */
final class SentenceSplitter {

    private SentenceSplitter() {}

    /**
     * Splits one paragraph whose whitespace is already collapsed.
     *
     * @param paragraph the text
     * @return the sentences, trimmed, in order; the last one may be a fragment
     */
    static List<String> split(String paragraph) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = paragraph.length();
        for (int i = 0; i < n; i++) {
            char c = paragraph.charAt(i);
            if (c != '.' && c != '!' && c != '?') {
                continue;
            }
            int end = i + 1;
            while (end < n && isClosing(paragraph.charAt(end))) {
                end++;
            }
            if (end + 1 >= n || paragraph.charAt(end) != ' ' || !opensSentence(paragraph.charAt(end + 1))) {
                continue;
            }
            if (c == '.' && isAbbreviation(paragraph, i)) {
                continue;
            }
            out.add(paragraph.substring(start, end).trim());
            start = end + 1;
            i = end;
        }
        String rest = paragraph.substring(start).trim();
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    /**
     * Tells whether a sentence starts like one and ends with terminal punctuation.
     *
     * @param sentence a trimmed sentence
     * @return whether it looks complete rather than cut
     */
    static boolean looksComplete(String sentence) {
        if (sentence.isEmpty()) {
            return false;
        }
        char first = sentence.charAt(0);
        if (!Character.isUpperCase(first) && !Character.isDigit(first)) {
            return false;
        }
        int last = sentence.length() - 1;
        while (last > 0 && isClosing(sentence.charAt(last))) {
            last--;
        }
        char end = sentence.charAt(last);
        return end == '.' || end == '!' || end == '?';
    }

    private static boolean isClosing(char c) {
        return c == '"' || c == '\'' || c == ')' || c == ']' || c == '\u201d' || c == '\u2019' || c == '\u00bb';
    }

    private static boolean opensSentence(char c) {
        return Character.isUpperCase(c)
                || Character.isDigit(c)
                || c == '"'
                || c == '('
                || c == '\u201c'
                || c == '\u201e'
                || c == '\u00ab'
                || c == '\u2013'
                || c == '-';
    }

    /** Whether the word before the period at {@code dot} is an initial or a short capitalised abbreviation. */
    private static boolean isAbbreviation(String text, int dot) {
        int start = dot;
        while (start > 0 && Character.isLetter(text.charAt(start - 1))) {
            start--;
        }
        int length = dot - start;
        if (length == 0 || length > 3 || !Character.isUpperCase(text.charAt(start))) {
            return false;
        }
        for (int i = start + 1; i < dot; i++) {
            if (!Character.isLowerCase(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
