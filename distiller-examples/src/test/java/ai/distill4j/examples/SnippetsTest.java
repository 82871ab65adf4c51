package ai.distill4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Java code that README.md and docs/library.md show is quoted from compiled example sources: a region between
 * {@code // snippet:NAME} and {@code // end-snippet:NAME} in a source file appears in a markdown file as a
 * {@code java} code block right after an {@code <!-- snippet:NAME -->} comment, and the two must be identical (the
 * region with its common indentation removed). Both are compiled and run by the suite, so the docs cannot drift.
 */
class SnippetsTest {

    private static final Pattern START = Pattern.compile("^\\s*// snippet:([\\w-]+)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// end-snippet:([\\w-]+)\\s*$");
    private static final Pattern MD_BLOCK = Pattern.compile("<!-- snippet:([\\w-]+) -->\\s*\\n```java\\n(.*?)```",
            Pattern.DOTALL);

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path SOURCES = Path.of("src/main/java/ai/distill4j/examples").toAbsolutePath();

    /** Reads every region of the example sources. */
    static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String open = null;
            List<String> body = new ArrayList<>();
            for (String line : lines) {
                Matcher start = START.matcher(line);
                Matcher end = END.matcher(line);
                if (start.matches()) {
                    assertEquals(null, open, file + ": snippet " + start.group(1) + " starts inside " + open);
                    open = start.group(1);
                    body.clear();
                } else if (end.matches()) {
                    assertEquals(open, end.group(1), file + ": end-snippet " + end.group(1) + " closes " + open);
                    assertFalse(regions.containsKey(open), "snippet " + open + " is defined twice");
                    regions.put(open, dedent(body));
                    open = null;
                } else if (open != null) {
                    body.add(line);
                }
            }
            assertEquals(null, open, file + ": snippet " + open + " is never closed");
        }
        return regions;
    }

    static String dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return sb.toString();
    }

    /** Reads the quoted blocks of a markdown file, by snippet name. */
    static Map<String, String> quotes(Path markdown) throws IOException {
        Map<String, String> quotes = new LinkedHashMap<>();
        Matcher m = MD_BLOCK.matcher(Files.readString(markdown, StandardCharsets.UTF_8));
        while (m.find()) {
            assertFalse(quotes.containsKey(m.group(1)), markdown + " quotes snippet " + m.group(1) + " twice");
            quotes.put(m.group(1), m.group(2));
        }
        return quotes;
    }

    private static void assertQuotesMatch(Path markdown, Map<String, String> quotes, Map<String, String> regions) {
        for (Map.Entry<String, String> q : quotes.entrySet()) {
            assertTrue(regions.containsKey(q.getKey()), markdown + " quotes snippet " + q.getKey()
                    + ", which no example source marks");
            assertEquals(regions.get(q.getKey()), q.getValue(), markdown + ": the quote of snippet " + q.getKey()
                    + " differs from the example source; copy the region between its markers");
        }
    }

    @Test
    void theExampleSourcesMarkTheReadmeProgramAndTheLibraryGuidesSteps() throws IOException {
        Map<String, String> regions = regions();
        assertTrue(regions.containsKey("readme"), regions.keySet().toString());
        assertTrue(regions.get("readme").startsWith("/**"), "the README shows the whole class");
        assertTrue(regions.keySet().containsAll(List.of("library-models", "library-data", "library-configs",
                "library-callbacks", "library-train", "library-after")), regions.keySet().toString());
    }

    @Test
    void docsLibraryMdQuotesEveryLibrarySnippetExactly() throws IOException {
        Map<String, String> regions = regions();
        Path guide = ROOT.resolve("docs/library.md");
        Map<String, String> quotes = quotes(guide);
        for (String name : regions.keySet()) {
            if (name.startsWith("library-")) {
                assertTrue(quotes.containsKey(name), guide + " does not quote snippet " + name);
            }
        }
        assertTrue(quotes.containsKey("readme"), guide + " does not quote the README program");
        assertQuotesMatch(guide, quotes, regions);
    }

    @Test
    void theReadmeQuotesTheReadmeProgramExactly() throws IOException {
        Path readme = ROOT.resolve("README.md");
        assumeTrue(Files.isRegularFile(readme), "README.md is not in this checkout");
        Map<String, String> quotes = quotes(readme);
        assertTrue(quotes.containsKey("readme"), readme + " has no <!-- snippet:readme --> block");
        assertQuotesMatch(readme, quotes, regions());
    }

    @Test
    void aQuoteIsReadUpToItsClosingFence() throws IOException {
        Path tmp = Files.createTempFile("snippets", ".md");
        try {
            Files.writeString(tmp, "text\n<!-- snippet:x -->\n```java\nint a = 1;\n\nint b = 2;\n```\nmore\n");
            assertEquals(Map.of("x", "int a = 1;\n\nint b = 2;\n"), quotes(tmp));
            assertEquals("a\n  b\n\nc\n", dedent(List.of("    a", "      b", "", "    c")));
        } finally {
            Files.delete(tmp);
        }
    }
}
