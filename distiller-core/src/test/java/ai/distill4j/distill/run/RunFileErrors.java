package ai.distill4j.distill.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.distill4j.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The validation messages of a bad run file, for the run-file validation tests. */
final class RunFileErrors {

    private RunFileErrors() {}

    /** The message of reading the run file. */
    static String onRead(Path runFile) {
        return assertThrows(ValidationException.class, () -> RunFile.read(runFile)).getMessage();
    }

    /** The message of running the run file; checks that it is one line and the output folder was not created. */
    static String onRun(Path runFile) throws Exception {
        RunFile run = RunFile.read(runFile);
        String m = assertThrows(ValidationException.class, () -> run.run(false)).getMessage();
        assertFalse(Files.exists(run.outputDir()), "nothing is written before training: " + m);
        assertFalse(m.contains("\n"), m);
        return m;
    }
}
