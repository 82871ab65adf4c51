package ai.distill4j.loss.logit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Selects the rows of sequence logits that a logits mask keeps, so that KD losses average over real tokens only
 * (TextBrewer's {@code select_logits_with_mask}).
 *
 * @since 0.1.0
 */
public final class LogitRows {

    private LogitRows() {}

    /**
     * Keeps the positions where the mask is non-zero.
     *
     * <ul>
     *   <li>{@code (B, L, C)} logits with a {@code (B, L)} mask give {@code (N_sel, C)}, rows in row-major order of
     *       {@code (b, l)}; {@code N_sel} is the number of non-zero mask entries (possibly 0).
     *   <li>{@code (N, C)} logits are returned unchanged, whatever the mask (as in TextBrewer: a logits mask has no
     *       effect on 2-D logits).
     *   <li>A {@code null} mask returns the logits unchanged.
     * </ul>
     *
     * <p>The selection is differentiable: gradients flow back to the kept positions and are zero elsewhere. The
     * result (and every temporary) lives in the mask's manager, the batch's, so that selecting rows of teacher
     * logits held in a long-lived cache manager leaves nothing behind there.
     *
     * @param logits {@code (B, L, C)} or {@code (N, C)}
     * @param mask {@code (B, L)}, any numeric or boolean type, non-zero = keep; may be {@code null}
     * @return {@code (N_sel, C)}, or the logits themselves when nothing is selected
     * @throws IllegalArgumentException when the ranks or shapes do not fit
     */
    public static NDArray select(NDArray logits, NDArray mask) {
        Shape shape = logits.getShape();
        if (shape.dimension() == 2 || mask == null) {
            return logits;
        }
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException("logits must be (B, L, C) or (N, C) to select rows, got " + shape);
        }
        Shape rows = shape.slice(0, 2);
        if (!mask.getShape().equals(rows)) {
            throw new IllegalArgumentException(
                    "logits mask must have the shape " + rows + " of the logits' leading dimensions, got "
                            + mask.getShape());
        }
        NDArray keep = mask.toType(DataType.BOOLEAN, false).expandDims(2).broadcast(shape);
        NDArray flat = logits.booleanMask(keep);
        flat.attach(mask.getManager());
        return flat.reshape(-1, shape.get(2));
    }
}
