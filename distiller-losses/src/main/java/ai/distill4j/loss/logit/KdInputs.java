package ai.distill4j.loss.logit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Prepares the inputs of a logit KD loss: checks shapes, detaches the teacher and the temperature into the
 * student's manager (so no array of the step lands in a long-lived teacher or cache manager, and no gradient
 * reaches the teacher), and shapes the temperature for broadcasting against the rows.
 */
final class KdInputs {

    private KdInputs() {}

    /**
     * Checks that the logits are 2-D or 3-D and that both sides have the same shape.
     *
     * @param lossName registry name, for messages
     * @param logitsS student logits
     * @param logitsT teacher logits
     */
    static void checkLogits(String lossName, NDArray logitsS, NDArray logitsT) {
        Shape s = logitsS.getShape();
        if (s.dimension() != 2 && s.dimension() != 3) {
            throw new IllegalArgumentException(
                    "KD loss '" + lossName + "' takes logits of shape (N, C) or (B, L, C), got " + s);
        }
        if (!s.equals(logitsT.getShape())) {
            throw new IllegalArgumentException(
                    "KD loss '" + lossName + "' needs student and teacher logits of the same shape, got student "
                            + s + " and teacher " + logitsT.getShape());
        }
    }

    /**
     * Returns a gradient-free view of {@code array} owned by {@code owner}, cast to {@code like}'s type.
     *
     * @param array the teacher logits or the temperature
     * @param like the student logits (type and owner)
     * @return a detached array in the student's manager
     */
    static NDArray constant(NDArray array, NDArray like) {
        NDManager owner = like.getManager();
        NDArray detached = array.stopGradient();
        detached.attach(owner);
        NDArray typed = detached.toType(like.getDataType(), false);
        if (typed != detached) {
            typed.attach(owner);
        }
        return typed;
    }

    /**
     * Reshapes the temperature so that it divides logits of shape {@code (rows..., C)}: a scalar stays a scalar,
     * a per-row temperature (of shape {@code rows...} or flattened to their product) becomes {@code (rows..., 1)}.
     *
     * @param lossName registry name, for messages
     * @param temperature the temperature, already detached into the student's manager
     * @param logits the logits it divides
     * @return the broadcastable temperature
     */
    static NDArray forDivision(String lossName, NDArray temperature, NDArray logits) {
        Shape rows = logits.getShape().slice(0, logits.getShape().dimension() - 1);
        long size = temperature.getShape().size();
        if (temperature.getShape().dimension() == 0) {
            return temperature;
        }
        if (size == 1) {
            return temperature.reshape(new Shape());
        }
        if (size == rows.size()) {
            return temperature.reshape(rows.add(1));
        }
        throw new IllegalArgumentException(
                "KD loss '" + lossName + "' takes a scalar temperature or one per row of " + rows
                        + ", got a temperature of shape " + temperature.getShape());
    }

    /**
     * Returns the number of rows (all leading dimensions) of logits.
     *
     * @param logits {@code (N, C)} or {@code (B, L, C)}
     * @return {@code N} or {@code B * L}
     */
    static long rows(NDArray logits) {
        Shape s = logits.getShape();
        return s.slice(0, s.dimension() - 1).size();
    }
}
