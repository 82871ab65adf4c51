package ai.distill4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpamDatasetTest {

    private static Path directory;
    private static final Map<SpamDataset.Split, SpamDataset> SPLITS = new EnumMap<>(SpamDataset.Split.class);

    @TempDir Path temp;

    @BeforeAll
    static void readAllSplits() throws IOException {
        directory = SpamDataset.locate();
        for (SpamDataset.Split split : SpamDataset.Split.values()) {
            SPLITS.put(split, SpamDataset.read(directory, split));
        }
    }

    @Test
    void countsMatchTheReadmeTable() throws IOException {
        String readme = Files.readString(directory.resolve("README.md"));
        // | split | ham | spam | total | ...
        Pattern row =
                Pattern.compile("(?m)^\\|\\s*(train|dev|test)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|");
        Matcher m = row.matcher(readme);
        int rows = 0;
        while (m.find()) {
            SpamDataset split = SPLITS.get(SpamDataset.Split.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)));
            assertEquals(Integer.parseInt(m.group(2)), split.count(LabeledEmail.HAM), m.group(1) + " ham");
            assertEquals(Integer.parseInt(m.group(3)), split.count(LabeledEmail.SPAM), m.group(1) + " spam");
            assertEquals(Integer.parseInt(m.group(4)), split.size(), m.group(1) + " total");
            rows++;
        }
        assertEquals(3, rows, "the README table has one row per split");
        assertEquals(4717, SPLITS.get(SpamDataset.Split.TRAIN).size());
        assertEquals(590, SPLITS.get(SpamDataset.Split.DEV).size());
        assertEquals(590, SPLITS.get(SpamDataset.Split.TEST).size());
    }

    @Test
    void everyLabelIsZeroOrOne() {
        for (SpamDataset split : SPLITS.values()) {
            int[] labels = split.labels();
            assertEquals(split.size(), labels.length);
            for (int label : labels) {
                assertTrue(label == 0 || label == 1, "label " + label + " in " + split.source());
            }
            assertEquals(split.size(), split.count(0) + split.count(1));
        }
    }

    @Test
    void devAndTestHoldTenPercentOfEachLabel() {
        for (int label : new int[] {LabeledEmail.HAM, LabeledEmail.SPAM}) {
            int total = 0;
            for (SpamDataset split : SPLITS.values()) {
                total += split.count(label);
            }
            long tenth = Math.round(0.1 * total);
            assertEquals(tenth, SPLITS.get(SpamDataset.Split.DEV).count(label), "dev, label " + label);
            assertEquals(tenth, SPLITS.get(SpamDataset.Split.TEST).count(label), "test, label " + label);
        }
    }

    @Test
    void spamShareIsTheSameInEverySplit() {
        double train = spamShare(SPLITS.get(SpamDataset.Split.TRAIN));
        assertEquals(train, spamShare(SPLITS.get(SpamDataset.Split.DEV)), 0.005);
        assertEquals(train, spamShare(SPLITS.get(SpamDataset.Split.TEST)), 0.005);
        assertEquals(0.303, train, 0.001);
    }

    @Test
    void noEmailOccursTwiceAcrossSplits() {
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (SpamDataset split : SPLITS.values()) {
            for (LabeledEmail email : split.emails()) {
                seen.add(email.subject() + "\t" + email.body());
                total++;
            }
        }
        assertEquals(5897, total);
        assertEquals(total, seen.size());
    }

    @Test
    void fieldsAreSingleLinesAndBodiesRespectTheLimit() {
        int longest = 0;
        for (SpamDataset split : SPLITS.values()) {
            for (LabeledEmail email : split.emails()) {
                for (String field : new String[] {email.subject(), email.body()}) {
                    assertFalse(field.contains("\t") || field.contains("\n") || field.contains("\r"), field);
                    assertEquals(field.strip(), field);
                }
                longest = Math.max(longest, email.body().codePointCount(0, email.body().length()));
            }
        }
        assertEquals(2000, longest);
    }

    @Test
    void textsAlignWithLabels() {
        SpamDataset dev = SPLITS.get(SpamDataset.Split.DEV);
        assertEquals(dev.size(), dev.texts().size());
        LabeledEmail first = dev.emails().get(0);
        assertEquals(first.text(), dev.texts().get(0));
        assertEquals(first.label(), dev.labels()[0]);
    }

    @Test
    void textJoinsSubjectAndBodyWithANewline() {
        assertEquals("Hello\nHow are you?", new LabeledEmail(0, "Hello", "How are you?").text());
        assertEquals("How are you?", new LabeledEmail(0, "", "How are you?").text());
        assertEquals("Hello", new LabeledEmail(1, "Hello", "").text());
        assertTrue(new LabeledEmail(1, "a", "b").isSpam());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new LabeledEmail(2, "a", "b"));
        assertTrue(e.getMessage().contains("found 2"), e.getMessage());
    }

    @Test
    void aRowWithTwoFieldsNamesFileAndLine() throws IOException {
        Path file = write("bad.tsv", SpamDataset.HEADER + "\n0\tsubject\tbody\n1\tonly two\n0\ts\tb\n");
        MalformedRowException e = assertThrows(MalformedRowException.class, () -> SpamDataset.read(file));
        assertEquals(3, e.line());
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().startsWith(file + " line 3: "), e.getMessage());
        assertTrue(e.getMessage().contains("found 2"), e.getMessage());
    }

    @Test
    void aLabelOtherThanZeroOrOneNamesFileAndLine() throws IOException {
        Path file = gzip("bad.tsv.gz", SpamDataset.HEADER + "\nspam\tsubject\tbody\n");
        MalformedRowException e = assertThrows(MalformedRowException.class, () -> SpamDataset.read(file));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("bad.tsv.gz line 2: label must be 0 (ham) or 1 (spam)"), e.getMessage());
    }

    @Test
    void aMissingHeaderIsReportedOnLineOne() throws IOException {
        Path file = write("noheader.tsv", "0\tsubject\tbody\n");
        MalformedRowException e = assertThrows(MalformedRowException.class, () -> SpamDataset.read(file));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("expected the header"), e.getMessage());
    }

    @Test
    void invalidUtf8IsReportedOnItsOwnLine() throws IOException {
        Path file = temp.resolve("latin1.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((SpamDataset.HEADER + "\n0\tfine\tfine\n1\tfine\tfine\n").getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {'0', '\t', 'c', 'a', 'f', (byte) 0xE9, '\t', 'x', '\n'});
        }
        MalformedRowException e = assertThrows(MalformedRowException.class, () -> SpamDataset.read(file));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("line 4: not valid UTF-8"), e.getMessage());
    }

    @Test
    void aWellFormedFileReadsFieldsVerbatim() throws IOException {
        Path file = gzip("ok.tsv.gz", SpamDataset.HEADER + "\n1\tWIN $$$\tClick here\n0\t\tno subject\r\n");
        SpamDataset data = SpamDataset.read(file);
        assertEquals(2, data.size());
        assertEquals(new LabeledEmail(1, "WIN $$$", "Click here"), data.emails().get(0));
        assertEquals(new LabeledEmail(0, "", "no subject"), data.emails().get(1));
    }

    private static double spamShare(SpamDataset split) {
        return (double) split.count(LabeledEmail.SPAM) / split.size();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(temp.resolve(name), content);
    }

    private Path gzip(String name, String content) throws IOException {
        Path file = temp.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
