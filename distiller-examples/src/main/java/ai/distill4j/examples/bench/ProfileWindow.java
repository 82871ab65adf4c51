package ai.distill4j.examples.bench;

import ai.distill4j.distill.callback.Callback;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A training callback that records PyTorch's operator profile over a window of optimizer steps and writes it as a
 * Chrome trace ({@code chrome://tracing}, Perfetto): profiling starts after step {@code from} and stops after step
 * {@code to}.
 *
 * @since 0.1.0
 */
public final class ProfileWindow implements Callback {

    private final int from;
    private final int to;
    private final Path file;
    private boolean running;

    /**
     * Creates the window.
     *
     * @param from the step after which profiling starts ({@code >= 0}; 0 starts at once)
     * @param to the step after which it stops and the trace is written ({@code > from})
     * @param file the trace file
     */
    public ProfileWindow(int from, int to, Path file) {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("profile window (" + from + ", " + to + "]: need 0 <= from < to");
        }
        this.from = from;
        this.to = to;
        this.file = Objects.requireNonNull(file, "file");
        if (from == 0) {
            start();
        }
    }

    private void start() {
        JniUtils.startProfile(false, true, true);
        running = true;
    }

    /** {@inheritDoc} */
    @Override
    public void onStep(int step, double learningRate) {
        if (step == from && !running) {
            start();
        } else if (step == to && running) {
            JniUtils.stopProfile(file.toAbsolutePath().toString());
            running = false;
        }
    }
}
