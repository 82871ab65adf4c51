package ai.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code distill4j} command: entry point of the {@code ./distill4j} launcher.
 *
 * <p>Exit codes: 0 on success, 1 when a command fails (bad file, bad model, ...), 2 for a usage error (unknown or
 * missing option). Failures print exactly one line on stderr, {@code distill4j <command>: error: <what went
 * wrong>}; {@code --verbose} (accepted anywhere on the line) adds the stack trace.
 *
 * @since 0.1.0
 */
@Command(
        name = "distill4j",
        mixinStandardHelpOptions = true,
        versionProvider = Distill4jCli.Version.class,
        description = "Knowledge distillation for BERT-style models on the JVM.",
        commandListHeading = "%nCommands:%n",
        subcommands = {
            DemoCommand.class,
            ImportOnnxCommand.class,
            EncodeCommand.class,
            ExportOnnxCommand.class,
            DistillCommand.class,
            PredictCommand.class,
            EvaluateCommand.class,
            ExampleCommand.class,
            QuickstartCommand.class,
            BenchCommand.class,
            HelpCommand.class
        },
        footer = {"", "Run 'distill4j <command> --help' for a command's options. Docs: docs/cli.md"})
public final class Distill4jCli implements Callable<Integer> {

    /** Exit code of a failed command. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a usage error. */
    public static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error after its one-line message.")
    private boolean verbose;

    /** Picocli instantiates this. */
    public Distill4jCli() {}

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the command line with the given streams, without exiting; the in-process entry point for tests and
     * embedding.
     *
     * @param out where results go
     * @param err where progress, logs and errors go
     * @param args the arguments
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            CommandLine sub = e.getCommandLine();
            String name = sub.getCommandSpec().qualifiedName();
            sub.getErr().println(name + ": " + firstLine(e.getMessage()) + " (see '" + name + " --help')");
            if (verbose) {
                e.printStackTrace(sub.getErr());
            }
            sub.getErr().flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((Exception e, CommandLine sub, CommandLine.ParseResult parsed) -> {
            sub.getErr().println(sub.getCommandSpec().qualifiedName() + ": error: " + describe(e));
            if (verbose) {
                e.printStackTrace(sub.getErr());
            }
            sub.getErr().flush();
            return EXIT_FAILURE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Builds the command tree (for tests and completion scripts).
     *
     * @return a new command line
     */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Distill4jCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** Without a subcommand: the usage on stderr and the usage exit code. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /**
     * Describes an error in one line: the message of the most telling cause, with the file for I/O errors.
     *
     * @param t the error
     * @return one line of text
     */
    static String describe(Throwable t) {
        Throwable cause = t;
        while ((cause.getMessage() == null || cause instanceof CommandLine.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String text;
        if (cause instanceof NoSuchFileException f) {
            text = (f.getReason() != null ? f.getReason() : "file not found") + ": " + f.getFile();
        } else if (cause instanceof AccessDeniedException f) {
            text = "permission denied: " + f.getFile();
        } else if (cause instanceof FileAlreadyExistsException f) {
            text = "already exists: " + f.getFile();
        } else if (cause instanceof OutOfMemoryError) {
            text = "out of memory; raise the heap with DISTILL4J_JAVA_OPTS=-Xmx12g";
        } else if (cause.getMessage() == null) {
            text = cause.getClass().getSimpleName();
        } else {
            text = cause.getMessage();
        }
        return firstLine(text.replaceAll("\\s*[\\r\\n]+\\s*", "; "));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    /** Reports the version from the jar manifest (or "development" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Distill4jCli.class.getPackage().getImplementationVersion();
            return new String[] {"distill4j " + (v != null ? v : "0.1.0-SNAPSHOT"),
                "Java " + System.getProperty("java.version") + ", DJL 0.36.0 (PyTorch engine)"};
        }
    }
}
