package ai.distill4j.loss.logit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * TextBrewer's probability shift: per row, swaps the teacher's largest logit with its logit at the gold label, so
 * that the gold class becomes the teacher's most likely one while the other values are kept.
 *
 * <p>Rows whose label is negative (e.g. {@code -100}, "ignore") are left unchanged. Unlike TextBrewer's in-place
 * {@code probability_shift_}, both methods return a new array and never touch their inputs; they are meant for
 * teacher logits and build no gradient. The result and every temporary live in the labels' manager (the batch's),
 * never in the logits' manager, which may be a long-lived teacher cache.
 *
 * <p>Source: TextBrewer {@code distiller_utils.py} {@code probability_shift_} (HEAD 2c105fa); reference
 * textbrewer.md section 7.4.
 *
 * @since 0.1.0
 */
public final class ProbabilityShift {

    private ProbabilityShift() {}

    /**
     * Shifts 2-D or 3-D logits with labels of the matching leading shape.
     *
     * <ul>
     *   <li>{@code (N, C)} logits, labels {@code (N)};
     *   <li>{@code (B, L, C)} logits, labels {@code (B, L)} (as TextBrewer, which flattens both).
     * </ul>
     *
     * <p>In TextBrewer only 3-D inputs ignore negative labels; here both ranks do (a negative label in the 2-D
     * case would index from the end or fail there).
     *
     * @param logits teacher logits
     * @param labels integer labels (any integer or float type holding integers); negative = leave the row as is
     * @return the shifted logits, same shape as {@code logits}
     * @throws IllegalArgumentException on a rank other than 2 or 3, a label shape that does not fit, or a label
     *     {@code >= C}
     */
    public static NDArray shift(NDArray logits, NDArray labels) {
        Shape shape = logits.getShape();
        if (shape.dimension() != 2 && shape.dimension() != 3) {
            throw new IllegalArgumentException("probability shift takes logits of rank 2 or 3, got " + shape);
        }
        Shape rows = shape.slice(0, shape.dimension() - 1);
        if (!labels.getShape().equals(rows)) {
            throw new IllegalArgumentException(
                    "probability shift needs labels of shape " + rows + " for logits " + shape + ", got "
                            + labels.getShape());
        }
        NDArray detached = logits.stopGradient();
        detached.attach(labels.getManager());
        NDArray flat = detached.reshape(rows.size(), shape.get(shape.dimension() - 1));
        return shiftRows(flat, labels.reshape(-1)).reshape(shape);
    }

    /**
     * Shifts logits whose rows were already selected with {@link LogitRows#select}, using the same mask to select
     * the labels. This fixes TextBrewer's shape mismatch between {@code (N_sel, C)} logits and {@code (B, L)}
     * labels when both {@code logits_mask} and {@code probability_shift} are set.
     *
     * @param selectedLogits {@code (N_sel, C)}, the output of {@code LogitRows.select(logits, mask)}
     * @param labels {@code (B, L)} labels; negative = leave the row as is
     * @param mask {@code (B, L)} logits mask, non-zero = selected
     * @return the shifted {@code (N_sel, C)} logits
     * @throws IllegalArgumentException when the shapes do not fit
     */
    public static NDArray shiftSelected(NDArray selectedLogits, NDArray labels, NDArray mask) {
        Shape shape = selectedLogits.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("selected logits must be (N_sel, C), got " + shape);
        }
        if (!labels.getShape().equals(mask.getShape())) {
            throw new IllegalArgumentException(
                    "labels " + labels.getShape() + " and logits mask " + mask.getShape() + " must have one shape");
        }
        NDArray selectedLabels = labels.booleanMask(mask.toType(DataType.BOOLEAN, false));
        if (selectedLabels.getShape().size() != shape.get(0)) {
            throw new IllegalArgumentException(
                    "the logits mask selects " + selectedLabels.getShape().size() + " labels but there are "
                            + shape.get(0) + " selected logit rows");
        }
        NDArray detached = selectedLogits.stopGradient();
        detached.attach(labels.getManager());
        return shiftRows(detached, selectedLabels.reshape(-1));
    }

    private static NDArray shiftRows(NDArray flat, NDArray labels) {
        long n = flat.getShape().get(0);
        long c = flat.getShape().get(1);
        NDManager manager = flat.getManager();
        NDArray lab = labels.toType(DataType.INT64, false);
        if (n == 0) {
            return flat;
        }
        long maxLabel = lab.max().getLong();
        if (maxLabel >= c) {
            throw new IllegalArgumentException(
                    "probability shift got label " + maxLabel + " but the logits have only " + c + " classes");
        }
        NDArray argMax = flat.argMax(1);
        NDArray gold = NDArrays.where(lab.lt(0), argMax, lab);
        NDArray classes = manager.arange(0, Math.toIntExact(c), 1, DataType.INT64);
        NDArray isMax = argMax.expandDims(1).eq(classes);
        NDArray isGold = gold.expandDims(1).eq(classes);
        NDArray maxValue = flat.gather(argMax.expandDims(1), 1).broadcast(n, c);
        NDArray goldValue = flat.gather(gold.expandDims(1), 1).broadcast(n, c);
        return NDArrays.where(isMax, goldValue, NDArrays.where(isGold, maxValue, flat));
    }
}
