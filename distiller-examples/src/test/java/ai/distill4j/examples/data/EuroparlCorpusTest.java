package ai.distill4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EuroparlCorpusTest {

    private static final String MALFORMED = "ai/distill4j/examples/data/europarl-malformed.txt";

    @Test
    void theResourceIsOnTheClasspathAndYieldsNonEmptyBodies() throws IOException {
        List<String> bodies = EuroparlCorpus.builder().optLimit(200).build().read();
        assertEquals(200, bodies.size());
        for (String body : bodies) {
            assertFalse(body.isBlank());
            assertEquals(body.strip(), body);
            assertFalse(body.contains("  ") || body.contains("\t") || body.contains("\n"), body);
        }
        // the first line of the file (checked with zcat): an Italian body that starts mid-sentence
        assertTrue(bodies.get(0).startsWith("Istituzioni europee proteggerlo in tutti i campi."), bodies.get(0));
    }

    @Test
    void everyLineHasATitle() throws IOException {
        int[] count = {0};
        EuroparlCorpus.builder().optField(EuroparlCorpus.Field.TITLE).build().forEach(t -> count[0]++);
        assertEquals(17_597, count[0]);
    }

    @Test
    void titlesAreTheFirstField() throws IOException {
        List<String> titles =
                EuroparlCorpus.builder().optField(EuroparlCorpus.Field.TITLE).optLimit(3).build().read();
        assertEquals(List.of("(1)", "Frågestund (kommissionen)", "Partnerschaft EU-Lateinamerika"), titles);
    }

    @Test
    void englishOnlyKeepsTheEnglishLines() throws IOException {
        List<String> english = EuroparlCorpus.builder().optEnglishOnly(true).build().read();
        assertEquals(1_270, english.size());
        for (String body : english.subList(0, 50)) {
            assertTrue(EnglishFilter.looksEnglish(body), body);
        }
        long withThe = english.stream().filter(b -> b.contains(" the ")).count();
        assertTrue(withThe > 0.98 * english.size(), withThe + " of " + english.size() + " contain \" the \"");
    }

    @Test
    void sentencesStartAndEndLikeSentences() throws IOException {
        List<String> sentences =
                EuroparlCorpus.builder().optSentences(true).optEnglishOnly(true).optMinLength(20).optLimit(500)
                        .build()
                        .read();
        assertEquals(500, sentences.size());
        for (String s : sentences) {
            assertTrue(s.length() >= 20, s);
            assertTrue(Character.isUpperCase(s.charAt(0)) || Character.isDigit(s.charAt(0)), s);
            assertTrue(s.matches(".*[.!?][\"')\\]\u201d\u2019]*"), s);
        }
        double meanLength = sentences.stream().mapToInt(String::length).average().orElse(0);
        assertTrue(meanLength > 60 && meanLength < 300, "mean sentence length " + meanLength);
    }

    @Test
    void theStreamStopsAtTheLimit() throws IOException {
        try (Stream<String> lines = EuroparlCorpus.builder().optLimit(3).build().stream()) {
            assertEquals(3, lines.count());
        }
        List<String> firstFive = EuroparlCorpus.builder().optLimit(5).build().read();
        try (Stream<String> lines = EuroparlCorpus.builder().build().stream()) {
            assertEquals(firstFive, lines.limit(5).collect(Collectors.toList()));
        }
    }

    @Test
    void aLineWithoutThreeFieldsNamesResourceAndLine() {
        EuroparlCorpus corpus = EuroparlCorpus.builder().optResource(MALFORMED).build();
        List<String> seen = new ArrayList<>();
        MalformedRowException e = assertThrows(MalformedRowException.class, () -> corpus.forEach(seen::add));
        assertEquals(List.of("The vote will take place tomorrow.", "The debate is closed."), seen);
        assertEquals(3, e.line());
        assertEquals(MALFORMED, e.source());
        assertTrue(e.getMessage().startsWith(MALFORMED + " line 3: expected 3 tab-separated fields"), e.getMessage());
    }

    @Test
    void theStreamReportsAMalformedLineAsUnchecked() throws IOException {
        try (Stream<String> lines = EuroparlCorpus.builder().optResource(MALFORMED).build().stream()) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, lines::count);
            MalformedRowException cause = assertInstanceOf(MalformedRowException.class, e.getCause());
            assertEquals(3, cause.line());
        }
    }

    @Test
    void aMissingResourceIsNamed() {
        EuroparlCorpus corpus = EuroparlCorpus.builder().optResource("no/such/file.txt.gz").build();
        IOException e = assertThrows(IOException.class, corpus::read);
        assertTrue(e.getMessage().contains("no/such/file.txt.gz"), e.getMessage());
    }

    @Test
    void whitespaceRunsCollapseToOneSpace() {
        assertEquals("a b c", EuroparlCorpus.collapseWhitespace("  a \t b\n\n   c  "));
        assertEquals("a b", EuroparlCorpus.collapseWhitespace("a b "));
        String clean = "already clean";
        assertTrue(clean == EuroparlCorpus.collapseWhitespace(clean), "no copy when nothing changes");
        assertEquals("", EuroparlCorpus.collapseWhitespace(" \t "));
        assertEquals("", EuroparlCorpus.collapseWhitespace(""));
    }

    @Test
    void settingsAreCheckedAtBuildTime() {
        IllegalArgumentException limit =
                assertThrows(IllegalArgumentException.class, () -> EuroparlCorpus.builder().optLimit(0).build());
        assertEquals("limit must be at least 1, found 0", limit.getMessage());
        IllegalArgumentException min =
                assertThrows(IllegalArgumentException.class, () -> EuroparlCorpus.builder().optMinLength(-2).build());
        assertEquals("minLength must be at least 1, found -2", min.getMessage());
    }
}
