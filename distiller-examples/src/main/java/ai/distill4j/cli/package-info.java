/**
 * The {@code ./distill4j} command line: {@link ai.distill4j.cli.Distill4jCli} and its subcommands, each a thin
 * layer over the public API. Results go to stdout or files, progress and logs to stderr; bad input ends with one
 * line on stderr and a non-zero exit code ({@code --verbose} adds the stack trace).
 */
package ai.distill4j.cli;
