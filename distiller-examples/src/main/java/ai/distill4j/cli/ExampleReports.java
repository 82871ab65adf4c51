package ai.distill4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prints an example's Markdown report on stdout and, when asked, writes it to a file. */
final class ExampleReports {

    private ExampleReports() {}

    static void print(String markdown, PrintWriter out, Path file) throws IOException {
        out.print(markdown);
        out.flush();
        if (file != null) {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, markdown, StandardCharsets.UTF_8);
        }
    }
}
