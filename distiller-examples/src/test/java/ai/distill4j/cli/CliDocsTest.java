package ai.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * docs/cli.md is the reference of the command line, and it cannot drift from the picocli model: every command
 * (walked recursively from {@link Distill4jCli#newCommandLine()}) has a section, every option of a command is a row
 * of the option table in its section with the option's names, parameter label, default and required mark, every
 * row names a real option, and every section shows the command running. The options every command shares
 * ({@code --help}, {@code --version}, the inherited {@code --verbose}) are documented once, before the first
 * command. A second check reads every {@code ./distill4j ...} line of README.md and docs/*.md and asks that its
 * subcommands and options exist.
 *
 * <p>The markdown conventions the check relies on: a command's section starts at a level-2 or level-3 heading
 * whose text begins with the command path in backticks ({@code ## `example embedding`: ...}) and runs to the next
 * such heading; an option row is a table row whose first cell is a code span starting with a dash,
 * {@code | `--name LABEL` | default | meaning |}, where the default cell is {@code required} for a required option
 * and holds the code's default value as a code span when picocli has one.
 */
class CliDocsTest {

    /** The repository root: the tests run in the module folder (as SnippetsTest assumes too). */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String LAUNCHER = "./distill4j";

    private static final Pattern HEADING =
            Pattern.compile("^#{2,3} `([a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)*)`(?:[:\\s].*)?$");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(-[^`]*)`\\s*\\|([^|]*)\\|(.*)\\|\\s*$");
    private static final Pattern CELL =
            Pattern.compile("^(--?[A-Za-z0-9][\\w-]*(?:, --?[A-Za-z0-9][\\w-]*)*)(?: (\\S.*))?$");

    // ---------------------------------------------------------------------------------------------------------
    // the checks on the real documents

    @Test
    void docsCliMdDocumentsEveryCommandAndOptionExactly() throws IOException {
        String markdown = Files.readString(ROOT.resolve("docs/cli.md"), StandardCharsets.UTF_8);
        List<String> problems = problems(Distill4jCli.newCommandLine(), LAUNCHER, markdown);
        assertEquals(List.of(), problems, "docs/cli.md drifted from the command line:\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void theCheckSeesEveryCommandOfTheCommandLine() {
        Map<String, CommandSpec> commands = commands(Distill4jCli.newCommandLine());
        assertEquals(List.of("", "demo", "import-onnx", "encode", "export-onnx", "distill", "predict", "evaluate",
                "example", "example embedding", "example multi-teacher", "example custom-model", "quickstart", "bench",
                "help"), List.copyOf(commands.keySet()));
    }

    @Test
    void everyCommandLineInTheReadmeAndTheGuidesNamesRealCommandsAndOptions() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        CommandLine cli = Distill4jCli.newCommandLine();
        List<String> problems = new ArrayList<>();
        int commandLines = 0;
        for (Path file : files) {
            List<String> found = commandLineProblems(cli, LAUNCHER,
                    Files.readString(file, StandardCharsets.UTF_8));
            commandLines += Integer.parseInt(found.remove(0));
            for (String p : found) {
                problems.add(ROOT.relativize(file) + ": " + p);
            }
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
        assertTrue(commandLines > 40, "only " + commandLines + " command lines found; is the pattern broken?");
    }

    // ---------------------------------------------------------------------------------------------------------
    // the checker finds each kind of drift (a small command line and its docs)

    /** A stand-in command line with what distill4j's has: standard options, an inherited option, a group. */
    @Command(name = "tool", mixinStandardHelpOptions = true, subcommands = {Tool.Run.class, Tool.Group.class})
    static final class Tool implements Runnable {
        @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Stack traces.")
        boolean verbose;

        @Override
        public void run() {}

        @Command(name = "run", mixinStandardHelpOptions = true)
        static final class Run implements Runnable {
            @Option(names = "--input", paramLabel = "FILE", required = true, description = "In.")
            Path input;

            @Option(names = "--size", paramLabel = "N", defaultValue = "3", description = "Size.")
            int size;

            @Option(names = "--fast", description = "Fast.")
            boolean fast;

            @Override
            public void run() {}
        }

        @Command(name = "group", mixinStandardHelpOptions = true, subcommands = Leaf.class)
        static final class Group implements Runnable {
            @Override
            public void run() {}
        }

        @Command(name = "leaf", mixinStandardHelpOptions = true)
        static final class Leaf implements Runnable {
            @Option(names = {"-d", "--depth"}, paramLabel = "D", description = "Depth.")
            Integer depth;

            @Override
            public void run() {}
        }
    }

    private static final String TOOL_DOCS = """
            # tool

            ```
            ./tool --help
            ```

            | option | default | meaning |
            |---|---|---|
            | `-h, --help` | off | usage |
            | `-V, --version` | off | version |
            | `--verbose` | off | stack traces |

            ## `run`: runs

            ```
            ./tool run --input FILE [--size N] [--fast]
            ```

            | option | default | meaning |
            |---|---|---|
            | `--input FILE` | required | the input |
            | `--size N` | `3` | the size |
            | `--fast` | off | go fast |

            ## `group`: a group

            `./tool group leaf` is its only member.

            ### `group leaf`: a leaf

            ```
            ./tool group leaf -d 2
            ```

            | option | default | meaning |
            |---|---|---|
            | `-d, --depth D` | none | how deep |
            """;

    private static List<String> toolProblems(String markdown) {
        return problems(new CommandLine(new Tool()), "./tool", markdown);
    }

    @Test
    void accurateDocsHaveNoProblems() {
        assertEquals(List.of(), toolProblems(TOOL_DOCS));
    }

    @Test
    void anUndocumentedOptionIsReported() {
        assertEquals(List.of("run: option --size is not in the option table of section `run` (expected a row"
                        + " `--size N`)"),
                toolProblems(TOOL_DOCS.replace("| `--size N` | `3` | the size |\n", "")));
    }

    @Test
    void aDocumentedOptionTheCommandLacksIsReported() {
        assertEquals(List.of("run: the table documents --slow, which the command does not have"),
                toolProblems(TOOL_DOCS.replace("| `--fast` | off | go fast |\n",
                        "| `--fast` | off | go fast |\n| `--slow` | off | go slow |\n")));
    }

    @Test
    void aWrongDefaultARequiredMarkAndAWrongLabelAreReported() {
        String drifted = TOOL_DOCS.replace("| `--size N` | `3` |", "| `--size N` | `4` |")
                .replace("| `--input FILE` | required |", "| `--input DIR` | `in.txt` |");
        assertEquals(List.of(
                        "run: row `--input DIR` should read `--input FILE`",
                        "run: --input is required, but its default cell says '`in.txt`' (write: required)",
                        "run: --size defaults to `3` in the code, but its default cell says '`4`'"),
                toolProblems(drifted));
    }

    @Test
    void missingAndUnknownSectionsAreReported() {
        String drifted = TOOL_DOCS.replace("### `group leaf`: a leaf", "### `group leave`: a leaf");
        assertEquals(List.of(
                        "group leave: docs/cli.md has a section for it, but there is no such command",
                        "group leaf: no section `group leaf` in docs/cli.md"),
                toolProblems(drifted));
    }

    @Test
    void aSectionWithoutTheCommandRunningIsReported() {
        assertEquals(List.of("run: the section never shows the command running (`./tool run ...`)"),
                toolProblems(TOOL_DOCS.replace("./tool run --input", "tool run --input")));
    }

    @Test
    void theSharedOptionsAreDocumentedOnceBeforeTheFirstCommand() {
        assertEquals(List.of("(top level): option --verbose is not in the option table of section (top level)"
                        + " (expected a row `--verbose`)"),
                toolProblems(TOOL_DOCS.replace("| `--verbose` | off | stack traces |\n", "")));
    }

    @Test
    void commandLinesInProseAreCheckedAgainstTheCommands() {
        String prose = """
                Run `./tool run --input a.txt --fast` or `./tool run --input a.txt --quick`; then
                ./tool group leaf --depth 2 --verbose   # inherited
                ./tool group leaf --breadth 2
                ./tool --help, `./tool <command> --help` and `./tool frob --size 3`
                """;
        List<String> found = commandLineProblems(new CommandLine(new Tool()), "./tool", prose);
        assertEquals(List.of("7",
                        "`./tool run --input a.txt --quick`: run has no option --quick",
                        "`./tool group leaf --breadth 2`: group leaf has no option --breadth",
                        "`./tool frob --size 3`: (top level) has no option --size"),
                found);
    }

    // ---------------------------------------------------------------------------------------------------------
    // the checker

    /** A command's part of the markdown. */
    private record Section(String command, List<String> lines) {}

    /** An option row of a section's table. */
    private record Row(String cell, List<String> names, String label, String defaultCell, String meaning) {}

    /** Every command, by path ({@code ""} for the top level, {@code "example embedding"}), depth first in order. */
    static Map<String, CommandSpec> commands(CommandLine cli) {
        Map<String, CommandSpec> out = new LinkedHashMap<>();
        collect(cli, "", out);
        return out;
    }

    private static void collect(CommandLine cl, String path, Map<String, CommandSpec> out) {
        if (out.containsKey(path)) {
            return; // an alias of a command already seen
        }
        out.put(path, cl.getCommandSpec());
        for (CommandLine sub : cl.getSubcommands().values()) {
            String name = sub.getCommandSpec().name();
            collect(sub, path.isEmpty() ? name : path + " " + name, out);
        }
    }

    /** Whether a command shares the option with every other command (documented once, at the top). */
    private static boolean shared(OptionSpec o) {
        return o.usageHelp() || o.versionHelp() || o.inherited();
    }

    private static String label(String command) {
        return command.isEmpty() ? "(top level)" : command;
    }

    /**
     * Compares a command line with its markdown reference.
     *
     * @param cli the command line
     * @param launcher how the docs start the command line ({@code ./distill4j})
     * @param markdown the reference
     * @return one line per difference, empty when the two agree
     */
    static List<String> problems(CommandLine cli, String launcher, String markdown) {
        Map<String, CommandSpec> commands = commands(cli);
        Map<String, Section> sections = sections(markdown);
        List<String> problems = new ArrayList<>();
        for (String documented : sections.keySet()) {
            if (!commands.containsKey(documented)) {
                problems.add(label(documented) + ": docs/cli.md has a section for it, but there is no such command");
            }
        }
        for (Map.Entry<String, CommandSpec> c : commands.entrySet()) {
            Section section = sections.get(c.getKey());
            if (section == null) {
                problems.add(label(c.getKey()) + ": no section `" + c.getKey() + "` in docs/cli.md");
            } else {
                checkSection(c.getKey(), c.getValue(), section, launcher, problems);
            }
        }
        return problems;
    }

    private static void checkSection(String command, CommandSpec spec, Section section, String launcher,
            List<String> problems) {
        String name = label(command);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : outsideCodeBlocks(section.lines())) {
            Row row = row(line);
            if (row == null) {
                continue;
            }
            if (row.names().isEmpty()) {
                problems.add(name + ": cannot read the option cell `" + row.cell() + "`");
                continue;
            }
            String key = row.names().get(row.names().size() - 1);
            if (rows.put(key, row) != null) {
                problems.add(name + ": " + key + " has two rows");
            }
        }
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            for (String n : o.names()) {
                byName.put(n, o);
            }
        }
        for (Row row : rows.values()) {
            for (String n : row.names()) {
                if (!byName.containsKey(n)) {
                    problems.add(name + ": the table documents " + n + ", which the command does not have");
                }
            }
        }
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || (!command.isEmpty() && shared(o))) {
                continue;
            }
            String expected = String.join(", ", o.names()) + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
            Row row = rows.get(o.longestName());
            if (row == null) {
                problems.add(name + ": option " + o.longestName() + " is not in the option table of section "
                        + (command.isEmpty() ? "(top level)" : "`" + command + "`") + " (expected a row `"
                        + expected + "`)");
                continue;
            }
            if (!row.cell().equals(expected)) {
                problems.add(name + ": row `" + row.cell() + "` should read `" + expected + "`");
            }
            checkDefault(name, o, row.defaultCell(), problems);
            if (row.meaning().isBlank()) {
                problems.add(name + ": " + o.longestName() + " has no meaning in its row");
            }
        }
        String run = launcher + (command.isEmpty() ? "" : " " + command);
        Pattern shown = Pattern.compile("(^|[\\s`])" + Pattern.quote(run) + "(\\s|`|$)", Pattern.MULTILINE);
        if (!shown.matcher(String.join("\n", section.lines())).find()) {
            problems.add(name + ": the section never shows the command running (`" + run + " ...`)");
        }
    }

    private static void checkDefault(String name, OptionSpec o, String cell, List<String> problems) {
        String n = o.longestName();
        boolean saysRequired = cell.startsWith("required");
        if (o.group() != null) {
            // picocli's required flag on a group member says nothing about the command line; the group's does
            boolean required = o.group().multiplicity().min() > 0;
            if (required != saysRequired) {
                problems.add(name + ": " + n + (required ? " belongs to a required group, but its default cell"
                        + " says '" + cell + "' (write: required ...)" : " is optional, but its default cell says '"
                        + cell + "'"));
            }
            return;
        }
        if (o.required()) {
            if (!cell.equals("required")) {
                problems.add(name + ": " + n + " is required, but its default cell says '" + cell
                        + "' (write: required)");
            }
            return;
        }
        if (saysRequired) {
            problems.add(name + ": " + n + " is optional, but its default cell says '" + cell + "'");
        } else if (o.defaultValue() != null && !cell.contains("`" + o.defaultValue() + "`")) {
            problems.add(name + ": " + n + " defaults to `" + o.defaultValue() + "` in the code, but its default"
                    + " cell says '" + cell + "'");
        } else if (cell.isBlank()) {
            problems.add(name + ": " + n + " has an empty default cell");
        }
    }

    private static Row row(String line) {
        Matcher m = ROW.matcher(line);
        if (!m.matches()) {
            return null;
        }
        String cell = m.group(1).strip();
        Matcher c = CELL.matcher(cell);
        if (!c.matches()) {
            return new Row(cell, List.of(), null, m.group(2).strip(), m.group(3).strip());
        }
        return new Row(cell, List.of(c.group(1).split(", ")), c.group(2), m.group(2).strip(), m.group(3).strip());
    }

    /** Splits the markdown at command headings; the text before the first one is the top level's. */
    private static Map<String, Section> sections(String markdown) {
        Map<String, Section> sections = new LinkedHashMap<>();
        String current = "";
        List<String> lines = new ArrayList<>();
        boolean fence = false;
        for (String line : markdown.split("\\R", -1)) {
            if (line.strip().startsWith("```")) {
                fence = !fence;
            }
            Matcher h = fence ? null : HEADING.matcher(line);
            if (h != null && h.matches()) {
                sections.put(current, new Section(current, lines));
                current = h.group(1);
                lines = new ArrayList<>();
                if (sections.containsKey(current)) {
                    current = current + " (again)"; // reported as an unknown command
                }
            }
            lines.add(line);
        }
        sections.put(current, new Section(current, lines));
        return sections;
    }

    private static List<String> outsideCodeBlocks(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean fence = false;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                fence = !fence;
            } else if (!fence) {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * Checks every command line written in a markdown text: from the launcher on, words that name subcommands lead
     * to a command, and every {@code --option} after them must be one of that command's. A line ends at a backtick,
     * a {@code #} comment or the end of the line (a trailing backslash continues it).
     *
     * @return the number of command lines found (first element), then one line per problem
     */
    static List<String> commandLineProblems(CommandLine cli, String launcher, String markdown) {
        List<String> out = new ArrayList<>();
        int found = 0;
        String text = markdown.replace("\\\n", " ");
        Pattern start = Pattern.compile("(?<![\\w./-])" + Pattern.quote(launcher) + "(?![\\w/.-])");
        for (String line : text.split("\\R")) {
            Matcher m = start.matcher(line);
            while (m.find()) {
                String rest = line.substring(m.end());
                int end = rest.length();
                for (String stop : new String[] {"`", " #"}) {
                    int i = rest.indexOf(stop);
                    if (i >= 0) {
                        end = Math.min(end, i);
                    }
                }
                String shown = (launcher + rest.substring(0, end)).strip();
                found++;
                CommandLine at = cli;
                String path = "";
                boolean inPath = true;
                for (String raw : rest.substring(0, end).strip().split("\\s+")) {
                    String word = raw.replaceAll("^[\\[(|]+", "").replaceAll("[\\])|,;.:]+$", "");
                    if (word.isEmpty()) {
                        continue;
                    }
                    if (inPath && at.getSubcommands().containsKey(word)) {
                        at = at.getSubcommands().get(word);
                        path = path.isEmpty() ? word : path + " " + word;
                        continue;
                    }
                    inPath = false;
                    if (word.startsWith("--")) {
                        String option = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
                        if (at.getCommandSpec().findOption(option) == null) {
                            out.add("`" + shown + "`: " + label(path) + " has no option " + option);
                        }
                    }
                }
            }
        }
        out.add(0, Integer.toString(found));
        return out;
    }
}
