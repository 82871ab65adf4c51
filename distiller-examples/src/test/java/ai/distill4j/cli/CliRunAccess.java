package ai.distill4j.cli;

import ai.distill4j.model.predict.KnownAnswerModel;
import java.io.IOException;
import java.nio.file.Path;

/** Lets tests in other packages run the CLI and write the known-answer model. */
public final class CliRunAccess {

    private CliRunAccess() {}

    /**
     * Runs the command line in-process.
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String... args) {
        CliRun r = CliRun.of(args);
        if (r.exitCode() != 0) {
            System.err.println(r);
        }
        return r.exitCode();
    }

    /**
     * Writes the known-answer classifier ("spam" exactly when a text holds "lottery").
     *
     * @param dir the folder
     * @return dir
     * @throws IOException when writing fails
     */
    public static Path writeKnownAnswerModel(Path dir) throws IOException {
        return KnownAnswerModel.write(dir);
    }
}
