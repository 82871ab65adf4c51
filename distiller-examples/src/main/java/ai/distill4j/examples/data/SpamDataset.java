package ai.distill4j.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One split of the SpamAssassin spam task, read from the committed files {@code data/spam/{train,dev,test}.tsv.gz}
 * (made by {@code scripts/prepare-spam-data}; provenance, counts and format in {@code data/spam/README.md}).
 *
 * <p>The file format: gzip-compressed UTF-8, a header line {@code label<TAB>subject<TAB>body}, then one email per
 * line with exactly three tab-separated fields. The label is {@code 0} (ham) or {@code 1} (spam); subject and body
 * hold no tab, carriage return or newline and may be empty. Files whose name does not end in {@code .gz} are read
 * uncompressed. A row that breaks these rules fails the whole read with a {@link MalformedRowException} naming the
 * file and line.
 *
 * <pre>{@code
 * Path dir = SpamDataset.locate();                    // data/spam of the enclosing checkout
 * SpamDataset train = SpamDataset.read(dir, SpamDataset.Split.TRAIN);
 * for (LabeledEmail email : train.emails()) { ... email.text() ... email.label() ... }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SpamDataset {

    /** The header line every file starts with. */
    public static final String HEADER = "label\tsubject\tbody";

    /** Where the files live, relative to the repository root. */
    public static final String DIRECTORY = "data/spam";

    /** The three splits; each is one file {@code <name>.tsv.gz}. */
    public enum Split {
        /** About 80% of each label, for training. */
        TRAIN,
        /** About 10% of each label, for model selection. */
        DEV,
        /** About 10% of each label, held out. */
        TEST;

        /**
         * Returns the file name of this split.
         *
         * @return e.g. {@code train.tsv.gz}
         */
        public String fileName() {
            return name().toLowerCase(Locale.ROOT) + ".tsv.gz";
        }
    }

    private final Path source;
    private final List<LabeledEmail> emails;

    private SpamDataset(Path source, List<LabeledEmail> emails) {
        this.source = source;
        this.emails = List.copyOf(emails);
    }

    /**
     * Finds {@code data/spam} in the working directory or the nearest parent that has it, so the same call works
     * from the repository root (the CLI) and from a module folder (Maven tests).
     *
     * @return the directory holding the three split files
     * @throws NoSuchFileException if no enclosing directory holds {@code data/spam/train.tsv.gz}
     */
    public static Path locate() throws NoSuchFileException {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DIRECTORY);
            if (Files.isRegularFile(candidate.resolve(Split.TRAIN.fileName()))) {
                return candidate;
            }
        }
        throw new NoSuchFileException(
                DIRECTORY,
                null,
                "not found in " + start + " or any parent; run from a distill4j checkout or pass the directory");
    }

    /**
     * Reads one split from a directory.
     *
     * @param directory the directory holding the split files, e.g. {@link #locate()}
     * @param split which split
     * @return the emails of that split, in file order
     * @throws MalformedRowException if a row breaks the format
     * @throws IOException if the file cannot be read
     */
    public static SpamDataset read(Path directory, Split split) throws IOException {
        Objects.requireNonNull(split, "split");
        return read(directory.resolve(split.fileName()));
    }

    /**
     * Reads a file in the split format (gzip when the name ends in {@code .gz}).
     *
     * @param file the file
     * @return its emails, in file order
     * @throws MalformedRowException if the header or a row breaks the format
     * @throws IOException if the file cannot be read
     */
    public static SpamDataset read(Path file) throws IOException {
        String name = file.toString();
        List<LabeledEmail> emails = new ArrayList<>();
        try (NumberedLineReader lines =
                new NumberedLineReader(name, Files.newInputStream(file), name.endsWith(".gz"))) {
            String header = lines.next();
            if (!HEADER.equals(header)) {
                throw new MalformedRowException(
                        name, 1, "expected the header \"label\\tsubject\\tbody\", found " + quote(header));
            }
            for (String line = lines.next(); line != null; line = lines.next()) {
                emails.add(parse(line, name, lines.lineNumber()));
            }
        }
        return new SpamDataset(file, emails);
    }

    private static LabeledEmail parse(String line, String file, long lineNumber) throws MalformedRowException {
        String[] fields = line.split("\t", -1);
        if (fields.length != 3) {
            throw new MalformedRowException(
                    file,
                    lineNumber,
                    "expected 3 tab-separated fields (label, subject, body), found " + fields.length);
        }
        int label;
        switch (fields[0]) {
            case "0":
                label = LabeledEmail.HAM;
                break;
            case "1":
                label = LabeledEmail.SPAM;
                break;
            default:
                throw new MalformedRowException(
                        file, lineNumber, "label must be 0 (ham) or 1 (spam), found " + quote(fields[0]));
        }
        return new LabeledEmail(label, fields[1], fields[2]);
    }

    private static String quote(String s) {
        if (s == null) {
            return "the end of the file";
        }
        return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }

    /**
     * Returns the file this split was read from.
     *
     * @return the path as given to {@code read}
     */
    public Path source() {
        return source;
    }

    /**
     * Returns the emails in file order (already shuffled by the split script).
     *
     * @return an immutable list
     */
    public List<LabeledEmail> emails() {
        return emails;
    }

    /**
     * Returns the number of emails.
     *
     * @return the row count, header excluded
     */
    public int size() {
        return emails.size();
    }

    /**
     * Counts the emails with a label.
     *
     * @param label {@link LabeledEmail#HAM} or {@link LabeledEmail#SPAM}
     * @return how many emails carry it
     */
    public int count(int label) {
        int n = 0;
        for (LabeledEmail email : emails) {
            if (email.label() == label) {
                n++;
            }
        }
        return n;
    }

    /**
     * Returns the classifier inputs, {@link LabeledEmail#text()} of each email, in file order.
     *
     * @return an immutable list aligned with {@link #labels()}
     */
    public List<String> texts() {
        return emails.stream().map(LabeledEmail::text).toList();
    }

    /**
     * Returns the labels in file order.
     *
     * @return a new array aligned with {@link #texts()}
     */
    public int[] labels() {
        return emails.stream().mapToInt(LabeledEmail::label).toArray();
    }
}
