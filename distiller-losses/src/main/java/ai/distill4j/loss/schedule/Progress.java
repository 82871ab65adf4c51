package ai.distill4j.loss.schedule;

/** Validates training progress for weight schedulers. */
final class Progress {

    private Progress() {}

    /**
     * Requires {@code 0 <= progress <= 1}.
     *
     * @param name scheduler name
     * @param progress the value
     * @return the value
     */
    static double check(String name, double progress) {
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException(
                    "weight scheduler '" + name + "' takes progress = global_step / total_steps in [0, 1], got "
                            + progress);
        }
        return progress;
    }
}
