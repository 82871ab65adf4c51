package ai.distill4j.distill.log;

/**
 * One scalar read back from a TensorBoard event file.
 *
 * @param wallTime seconds since the Unix epoch when it was written
 * @param step its x-axis position
 * @param tag its chart name, e.g. {@code scalar/total_loss}
 * @param value its value, a float32 as TensorBoard stores it
 * @since 0.1.0
 */
public record ScalarEvent(double wallTime, long step, String tag, float value) {}
