package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;
import java.util.Locale;

/**
 * CKD word relation, triple-wise with a local window ({@code wr_angle}): within each aligned layer, the angles that
 * a token's window neighbours form at that token must match the teacher's.
 *
 * <pre>
 * N(i)     = [clamp(i + o, 0, L - 1) for o = -h..h],  h = (w - 1) / 2     (L = padded length; repeats kept)
 * A(a, c)  = &lt;u(r_{N_a(i)} - r_i), u(r_{N_c(i)} - r_i)&gt;,  a, c = 1..w,  u(x) = x / max(|x|, 1e-12)
 * L = sum_b sum_k sum_{i in V_b} sum_{a,c} (A^S - A^T)^2 / ((K+1) * sum_b n_b * w^2)
 * </pre>
 *
 * <ul>
 *   <li>Inputs: K+1 aligned hidden states per side, each {@code (B, L, d)}; {@code d_S} may differ from
 *       {@code d_T}. Stacked form: {@code (B, K+1, L, d)}.
 *   <li>Mask: {@code (B, L)}, 1 = real token. Only real centres are summed. With {@code neighbours = "clamped"}
 *       (the default, the official behaviour) padding positions inside a window still count as neighbours; with
 *       {@code "real"} an angle with a padding neighbour counts as 0 (so appending padding never changes the
 *       loss). Either way the denominator is {@code (K+1) * sum_b n_b * w^2}. A neighbour equal to the centre
 *       (a clamped repeat) gives a zero difference, hence a zero cosine on both sides; {@code w = 1} gives 0.
 *   <li>Reduction: one global sum over the batch, as above. An all-padding batch gives 0.
 *   <li>Teacher relations are constants (no gradient).
 * </ul>
 *
 * <p>Cost: the official code materialises every window difference ({@code B (K+1) L w d} values per side). This
 * implementation never does: with the Gram matrix {@code G = X X^T} of the (per layer, per example) centred hidden
 * states, {@code <r_a - r_i, r_c - r_i> = G_ac - G_ai - G_ic + G_ii} and {@code |r_a - r_i|^2 = G_aa - 2 G_ai + G_ii},
 * so only {@code G} ({@code B (K+1) L^2}) and the gathered window angles ({@code B (K+1) L w^2}) are built. Angles
 * do not change when every point of a layer moves by the same vector, and centring keeps the Gram formulas well
 * conditioned in float32. The one difference from the direct form: two distinct positions with exactly equal
 * vectors give rounding noise instead of an exact 0 cosine (a repeated position is still detected exactly).
 *
 * <pre>
 * Park, Kim, Yang. Distilling Linguistic Context for Language Model Compression. EMNLP 2021.
 * Official code: GeondoPark/CKD loss.py, class WR_Angle_window (lossfunc "l2loss"), window_index.
 * </pre>
 *
 * @since 0.1.0
 */
public final class WordRelationAngle implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "wr_angle";

    /** The published window size (the official argparse default). */
    public static final int DEFAULT_WINDOW = 21;

    /** Which window positions take part in the angles. */
    public enum Neighbours {
        /** Offsets clamped to the padded length; padding positions included (official). */
        CLAMPED,
        /** As {@link #CLAMPED}, but an angle with a padding neighbour counts as 0. */
        REAL;

        /**
         * Parses an argument value ({@code "clamped"} or {@code "real"}).
         *
         * @param value the text
         * @return the constant
         * @throws IllegalArgumentException for anything else
         */
        public static Neighbours parse(String value) {
            for (Neighbours n : values()) {
                if (n.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return n;
                }
            }
            throw new IllegalArgumentException(
                    "loss '" + NAME + "' argument 'neighbours' must be \"clamped\" or \"real\", got '" + value + "'");
        }
    }

    private final int window;
    private final Neighbours neighbours;

    /**
     * Creates the loss.
     *
     * @param window the window size w, odd and at least 1 (21 in the paper)
     * @param neighbours which window positions take part
     * @throws IllegalArgumentException when the window is even or below 1
     */
    public WordRelationAngle(int window, Neighbours neighbours) {
        if (window < 1 || window % 2 == 0) {
            throw new IllegalArgumentException(
                    "loss '" + NAME + "' argument 'window' must be an odd number >= 1, got " + window);
        }
        this.window = window;
        this.neighbours = java.util.Objects.requireNonNull(neighbours, "neighbours");
    }

    /** Creates the loss with the published settings: window 21, clamped neighbours. */
    public WordRelationAngle() {
        this(DEFAULT_WINDOW, Neighbours.CLAMPED);
    }

    /**
     * Returns the window size.
     *
     * @return w
     */
    public int window() {
        return window;
    }

    /**
     * Returns which window positions take part.
     *
     * @return the setting
     */
    public Neighbours neighbours() {
        return neighbours;
    }

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.MULTI;
    }

    /**
     * Computes the loss from the aligned layers.
     *
     * @param student K+1 student hidden states {@code (B, L, d_S)}
     * @param teacher K+1 teacher hidden states {@code (B, L, d_T)}
     * @param mask {@code (B, L)} or null (every token real)
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        AlignedLayers.check(NAME, student, teacher);
        return LossScope.run(
                student.get(0).getManager(),
                () -> relation(AlignedLayers.stack(student), AlignedLayers.stack(teacher), mask));
    }

    /**
     * Computes the loss from stacked layers.
     *
     * @param hiddenS the student's aligned layers {@code (B, K+1, L, d_S)}
     * @param hiddenT the teacher's aligned layers {@code (B, K+1, L, d_T)}
     * @param mask {@code (B, L)} or null (every token real)
     * @return a scalar
     */
    public NDArray compute(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        AlignedLayers.checkStacked(NAME, hiddenS, hiddenT);
        return LossScope.run(hiddenS.getManager(), () -> relation(hiddenS, hiddenT, mask));
    }

    private NDArray relation(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        AlignedLayers.checkStacked(NAME, hiddenS, hiddenT);
        long batch = hiddenS.getShape().get(0);
        long layers = hiddenS.getShape().get(1);
        int length = (int) hiddenS.getShape().get(2);
        NDArray m = MaskedRows.maskOrOnes(NAME, mask, batch, length, hiddenS);
        WindowIndex index = new WindowIndex(hiddenS.getManager(), length, window, hiddenS.getDataType());
        NDArray weight = index.notCentre; // (L, w)
        if (neighbours == Neighbours.REAL) {
            NDArray real = m.gather(index.neighbour.broadcast(batch, (long) length * window), 1);
            weight = real.reshape(batch, 1, length, window).mul(weight);
        }
        NDArray as = angles(hiddenS, index, weight);
        NDArray at = angles(AlignedLayers.constant(hiddenT, hiddenS), index, weight);
        NDArray perCentre = as.sub(at).square().sum(new int[] {3, 4}); // (B, K+1, L)
        NDArray total = perCentre.mul(m.reshape(batch, 1, length)).sum();
        double tokens = m.sum().toType(DataType.FLOAT64, false).getDouble();
        return total.div(Math.max(layers * tokens * window * window, 1.0));
    }

    /**
     * Window angles of every position from the Gram matrix of the centred states.
     *
     * @param hidden {@code (B, K+1, L, d)}
     * @param index the window's flat indices into {@code (L, L)}
     * @param weight 0/1 per neighbour, {@code (L, w)} or {@code (B, 1, L, w)}: 0 for the centre itself (and for
     *     padding neighbours with {@link Neighbours#REAL})
     * @return {@code (B, K+1, L, w, w)}
     */
    private NDArray angles(NDArray hidden, WindowIndex index, NDArray weight) {
        Shape s = hidden.getShape();
        long batch = s.get(0);
        long layers = s.get(1);
        long length = s.get(2);
        NDArray x = hidden.sub(hidden.mean(new int[] {2}, true));
        NDArray g = x.matMul(x.transpose(0, 1, 3, 2)).reshape(batch, layers, length * length);
        NDArray gac = take(g, index.ac).reshape(batch, layers, length, window, window);
        NDArray gai = take(g, index.ai).reshape(batch, layers, length, window);
        NDArray gaa = take(g, index.aa).reshape(batch, layers, length, window);
        NDArray gii = take(g, index.ii).reshape(batch, layers, length, 1);
        NDArray squared = gaa.sub(gai.mul(2)).add(gii);
        // |r_a - r_i|, with the centre itself (distance exactly 0) replaced by 1 before the square root
        NDArray norm = squared.mul(index.notCentre).add(index.centre).maximum(1e-24).sqrt();
        NDArray inverse = weight.div(norm);
        NDArray dots = gac.sub(gai.expandDims(4)).sub(gai.expandDims(3)).add(gii.expandDims(4));
        return dots.mul(inverse.expandDims(4)).mul(inverse.expandDims(3));
    }

    private static NDArray take(NDArray flatGram, NDArray flatIndex) {
        Shape s = flatGram.getShape();
        return flatGram.gather(flatIndex.reshape(1, 1, flatIndex.size()).broadcast(s.get(0), s.get(1), flatIndex.size()), 2);
    }

    /** Flat indices of the window positions into an {@code (L, L)} matrix, built once per call. */
    private static final class WindowIndex {
        final NDArray ac;
        final NDArray ai;
        final NDArray aa;
        final NDArray ii;
        final NDArray neighbour;
        final NDArray notCentre;
        final NDArray centre;

        WindowIndex(NDManager manager, int length, int window, DataType type) {
            int h = (window - 1) / 2;
            long[] acIdx = new long[length * window * window];
            long[] aiIdx = new long[length * window];
            long[] aaIdx = new long[length * window];
            long[] iiIdx = new long[length];
            long[] nIdx = new long[length * window];
            double[] isCentre = new double[length * window];
            for (int i = 0; i < length; i++) {
                iiIdx[i] = (long) i * length + i;
                for (int a = 0; a < window; a++) {
                    int na = Math.min(Math.max(i + a - h, 0), length - 1);
                    int p = i * window + a;
                    nIdx[p] = na;
                    aiIdx[p] = (long) na * length + i;
                    aaIdx[p] = (long) na * length + na;
                    isCentre[p] = na == i ? 1 : 0;
                    for (int c = 0; c < window; c++) {
                        int nc = Math.min(Math.max(i + c - h, 0), length - 1);
                        acIdx[p * window + c] = (long) na * length + nc;
                    }
                }
            }
            ac = manager.create(acIdx);
            ai = manager.create(aiIdx);
            aa = manager.create(aaIdx);
            ii = manager.create(iiIdx);
            neighbour = manager.create(nIdx);
            centre = manager.create(isCentre, new Shape(length, window)).toType(type, false);
            notCentre = centre.neg().add(1);
        }
    }
}
