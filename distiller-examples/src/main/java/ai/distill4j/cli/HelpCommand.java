package ai.distill4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code distill4j help [COMMAND [SUBCOMMAND]]}: prints the usage of a command, or of a command nested in a group
 * ({@code help example embedding}), on stdout, exactly as {@code COMMAND --help} does. picocli's own help command
 * only looks at the first name.
 *
 * @since 0.1.0
 */
@Command(
        name = "help",
        helpCommand = true,
        description = "Print the usage of a command, or of a subcommand (help example embedding): "
                + "the same text as '<command> --help'.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print the usage of help itself.")
    private boolean usage;

    @Parameters(
            paramLabel = "COMMAND",
            arity = "0..*",
            description = "A command, then the names of its subcommands down to the one wanted.")
    private List<String> names = new ArrayList<>();

    private CommandLine self;
    private PrintWriter out;
    private Help.ColorScheme colors;

    /** {@inheritDoc} */
    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter outWriter,
            PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
    }

    /** Prints the usage of the named command on stdout; an unknown name is a usage error (exit code 2). */
    @Override
    public void run() {
        CommandLine target = self.getParent();
        List<String> walked = new ArrayList<>();
        for (String name : names) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                String where = walked.isEmpty() ? "" : " of '" + String.join(" ", walked) + "'";
                throw new ParameterException(self, "unknown command '" + name + "'" + where + "; the commands"
                        + where + " are " + target.getSubcommands().keySet());
            }
            walked.add(name);
            target = sub;
        }
        target.usage(out, colors);
        out.flush();
    }
}
