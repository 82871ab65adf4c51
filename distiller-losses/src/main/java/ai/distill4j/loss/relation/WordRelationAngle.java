package ai.distill4j.loss.relation;

import ai.distill4j.loss.GraphArrays;
import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

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
 *       (the default, the official behaviour) offsets are clamped to the padded length and padding positions
 *       inside a window count as neighbours; with {@code "real"} offsets are clamped to {@code [0, n_b - 1]}
 *       instead (for right-padded inputs, the "clean" variant; any other padding neighbour counts as 0), so
 *       appending padding never changes the loss. Either way the denominator is {@code (K+1) * sum_b n_b * w^2}. A neighbour equal to the centre
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
        /** Offsets clamped to the example's real tokens {@code [0, n_b - 1]}; other padding neighbours count 0. */
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
    private final RelationFrame frame;

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
        this.neighbours = Objects.requireNonNull(neighbours, "neighbours");
        this.frame = RelationFrame.layerMajor(NAME, this::relation);
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
        return Arity.ONE_OR_MORE;
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
        return frame.compute(student, teacher, mask);
    }

    /**
     * Computes the loss from stacked layers. Unlike the list form (whose arity is {@link Arity#MULTI}), this form
     * also accepts a single layer, {@code K+1 = 1} (CKD's "final" or "emb" alignments).
     *
     * @param hiddenS the student's aligned layers {@code (B, K+1, L, d_S)}
     * @param hiddenT the teacher's aligned layers {@code (B, K+1, L, d_T)}
     * @param mask {@code (B, L)} or null (every token real)
     * @return a scalar
     */
    public NDArray compute(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        return frame.compute(hiddenS, hiddenT, mask);
    }

    private NDArray relation(NDArray hiddenS, NDArray hiddenT, NDArray mask) {
        AlignedLayers.checkStacked(NAME, hiddenS, hiddenT, 1);
        long batch = hiddenS.getShape().get(0);
        long layers = hiddenS.getShape().get(1);
        int length = (int) hiddenS.getShape().get(2);
        NDArray m = MaskedRows.maskOrOnes(NAME, mask, batch, length, hiddenS);
        int[] last = null;
        if (neighbours == Neighbours.REAL) {
            double[] n = m.sum(new int[] {1}).toType(DataType.FLOAT64, false).toDoubleArray();
            last = new int[n.length];
            for (int b = 0; b < n.length; b++) {
                last[b] = Math.max((int) Math.round(n[b]) - 1, 0);
            }
        }
        WindowIndex index = new WindowIndex(hiddenS.getManager(), length, window, hiddenS.getDataType(), last);
        NDArray weight = index.notCentre; // (1 or B, 1, L, w)
        if (neighbours == Neighbours.REAL) {
            // neighbours are clamped to the real tokens when the mask is right-padded; any other padding
            // neighbour (a mask with holes) gets weight 0
            NDArray real = m.gather(index.neighbour, 1);
            weight = real.reshape(batch, 1, length, window).mul(weight);
        }
        NDArray as = angles(hiddenS, index, weight);
        NDArray at = angles(AlignedLayers.constant(hiddenT, hiddenS), index, weight);
        NDArray difference = as.sub(at);
        NDArray perCentre = difference.mul(difference).sum(new int[] {3, 4}); // (B, K+1, L)
        NDArray total = perCentre.mul(m.reshape(batch, 1, length)).sum();
        double tokens = m.sum().toType(DataType.FLOAT64, false).getDouble();
        return Scalars.divide(total, Math.max(layers * tokens * window * window, 1.0));
    }

    /**
     * Window angles of every position from the Gram matrix of the centred states.
     *
     * @param hidden {@code (B, K+1, L, d)}
     * @param index the window's flat indices into {@code (L, L)}
     * @param weight 0/1 per neighbour, {@code (1 or B, 1, L, w)}: 0 for the centre itself (and for padding
     *     neighbours with {@link Neighbours#REAL})
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
        NDArray squared = gaa.sub(gai.mul(GraphScalar.of(gai, 2))).add(gii);
        // |r_a - r_i|, with the centre itself (distance exactly 0) replaced by 1 before the square root
        NDArray norm = squared.mul(index.notCentre).add(index.centre).maximum(GraphScalar.of(squared, 1e-24)).sqrt();
        NDArray inverse = weight.div(norm);
        // <r_a - r_i, r_c - r_i> = G_ac - h_a - h_c with h_a = G_ai - G_ii / 2: two full-size operations, not three
        NDArray half = gai.sub(gii.div(GraphScalar.of(gii, 2)));
        NDArray dots = gac.sub(half.expandDims(4)).sub(half.expandDims(3));
        return dots.mul(inverse.expandDims(4)).mul(inverse.expandDims(3));
    }

    /** Gathers {@code (B, K+1, L*L)} at flat indices {@code (1 or B, n)}: {@code (B, K+1, n)}. */
    private static NDArray take(NDArray flatGram, NDArray flatIndex) {
        Shape s = flatGram.getShape();
        long rows = flatIndex.getShape().get(0);
        long n = flatIndex.getShape().get(1);
        return flatGram.gather(flatIndex.reshape(rows, 1, n).broadcast(s.get(0), s.get(1), n), 2);
    }

    /**
     * Flat indices of the window positions into an {@code (L, L)} matrix, shared by the batch (neighbours clamped
     * to the padded length) or one row per example (clamped to that example's last real token).
     */
    private static final class WindowIndex {
        final NDArray ac;
        final NDArray ai;
        final NDArray aa;
        final NDArray ii;
        final NDArray neighbour;
        final NDArray notCentre;
        final NDArray centre;

        WindowIndex(NDManager manager, int length, int window, DataType type, int[] lastPerExample) {
            int rows = lastPerExample == null ? 1 : lastPerExample.length;
            int h = (window - 1) / 2;
            int lw = length * window;
            long[] acIdx = new long[rows * lw * window];
            long[] aiIdx = new long[rows * lw];
            long[] aaIdx = new long[rows * lw];
            long[] iiIdx = new long[rows * length];
            long[] nIdx = new long[rows * lw];
            double[] isCentre = new double[rows * lw];
            for (int r = 0; r < rows; r++) {
                int last = lastPerExample == null ? length - 1 : lastPerExample[r];
                for (int i = 0; i < length; i++) {
                    iiIdx[r * length + i] = (long) i * length + i;
                    for (int a = 0; a < window; a++) {
                        int na = Math.min(Math.max(i + a - h, 0), last);
                        int p = r * lw + i * window + a;
                        nIdx[p] = na;
                        aiIdx[p] = (long) na * length + i;
                        aaIdx[p] = (long) na * length + na;
                        isCentre[p] = na == i ? 1 : 0;
                        for (int c = 0; c < window; c++) {
                            int nc = Math.min(Math.max(i + c - h, 0), last);
                            acIdx[p * window + c] = (long) na * length + nc;
                        }
                    }
                }
            }
            // PyTorch-owned: gather keeps its index for the backward pass (GraphArrays)
            ac = GraphArrays.owned(manager.create(acIdx, new Shape(rows, (long) lw * window)));
            ai = GraphArrays.owned(manager.create(aiIdx, new Shape(rows, lw)));
            aa = GraphArrays.owned(manager.create(aaIdx, new Shape(rows, lw)));
            ii = GraphArrays.owned(manager.create(iiIdx, new Shape(rows, length)));
            neighbour = GraphArrays.owned(manager.create(nIdx, new Shape(rows, lw)));
            centre = GraphArrays.owned(manager.create(isCentre, new Shape(rows, 1, length, window))).toType(type, false);
            notCentre = centre.neg().add(1);
        }
    }
}
