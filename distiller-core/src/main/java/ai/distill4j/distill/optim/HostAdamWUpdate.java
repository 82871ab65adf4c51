package ai.distill4j.distill.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * One AdamW update of a CPU float32 parameter done in a single pass on the host, over direct views of the weight,
 * its gradient and its two moment arrays. PyTorch's unfused AdamW (and the NDArray form in {@link AdamW}) reads and
 * writes the parameter-sized arrays about fourteen times per update and allocates four temporaries; this pass
 * reads each array once and writes it once, and clears the gradient on the way (which saves the separate
 * zero-fill).
 *
 * <p>Every element goes through the float32 operations of the NDArray form, in the same order, each rounded to
 * float (Java does not contract {@code a * b + c} into a fused multiply-add). The moments are therefore
 * bit-identical to the NDArray form's. The square root is the correctly rounded one (computed in double and
 * rounded to float), while PyTorch's CPU {@code sqrt} goes through MKL's vector math and is off by one unit in
 * the last place for some elements (about one in six, measured); the weights can then differ from the NDArray
 * form's by a unit or two in the last place:
 * <pre>
 *   g ← g · scale                      (the clipping coefficient; 1 when not clipped)
 *   w ← w · decay                      (decay = 1 − lr·wd, when the parameter is decayed)
 *   m ← m · β1 + g · (1 − β1)
 *   v ← v · β2 + (g · g) · (1 − β2)
 *   w ← w − (m / (√v / √(1 − β2ᵗ) + ε)) · (lr / (1 − β1ᵗ))
 * </pre>
 *
 * <p>Large arrays are split into fixed chunks processed in parallel; the result does not depend on the split,
 * since elements are independent.
 *
 * @since 0.1.0
 */
final class HostAdamWUpdate {

    /** Elements per parallel task. */
    static final int CHUNK = 1 << 15;

    private HostAdamWUpdate() {}

    /**
     * The per-step float32 constants of the update.
     *
     * @param gradientScale the gradient's factor (the clipping coefficient, or 1)
     * @param decay the weight multiplier {@code 1 − lr·wd}
     * @param decays false when the parameter has no weight decay (the multiplication is skipped, as in the NDArray
     *     form)
     * @param beta1 β1
     * @param oneMinusBeta1 {@code 1 − β1}
     * @param beta2 β2
     * @param oneMinusBeta2 {@code 1 − β2}
     * @param sqrtBiasCorrection2 {@code √(1 − β2ᵗ)}
     * @param eps ε
     * @param stepSize {@code lr / (1 − β1ᵗ)}
     */
    record Constants(float gradientScale, float decay, boolean decays, float beta1, float oneMinusBeta1, float beta2,
            float oneMinusBeta2, float sqrtBiasCorrection2, float eps, float stepSize) {}

    /**
     * Tells whether the host pass can update these arrays: all on the CPU, float32, of one size.
     *
     * @param arrays the weight, gradient and moments
     * @return true when {@link #apply} may be used
     */
    static boolean supports(NDArray... arrays) {
        long size = arrays[0].size();
        for (NDArray a : arrays) {
            if (a.getDataType() != DataType.FLOAT32 || !Device.cpu().equals(a.getDevice()) || a.size() != size
                    || a.isSparse()) {
                return false;
            }
        }
        return size <= Integer.MAX_VALUE;
    }

    /**
     * Updates {@code w}, {@code m} and {@code v} in place and zeroes {@code g}. The arrays must be contiguous (every
     * parameter, gradient and optimizer state of this project is); see {@link #aliases}.
     *
     * @param w the weight
     * @param g its gradient, zeroed on return
     * @param m the first moment ({@code exp_avg})
     * @param v the second moment ({@code exp_avg_sq})
     * @param c the step's constants
     */
    static void apply(NDArray w, NDArray g, NDArray m, NDArray v, Constants c) {
        FloatBuffer wb = view(w);
        FloatBuffer gb = view(g);
        FloatBuffer mb = view(m);
        FloatBuffer vb = view(v);
        int n = Math.toIntExact(w.size());
        if (n <= CHUNK) {
            run(wb, gb, mb, vb, 0, n, c);
            return;
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel()
                .forEach(k -> run(wb, gb, mb, vb, k * CHUNK, Math.min(n, (k + 1) * CHUNK), c));
    }

    /**
     * Tells whether writing through {@code a}'s direct view changes {@code a} itself, that is, whether the view is
     * not a contiguous copy. It writes one element and restores it.
     *
     * @param a a CPU float32 array
     * @return true when the view aliases the array's memory
     */
    static boolean aliases(NDArray a) {
        if (a.size() == 0) {
            return true;
        }
        FloatBuffer first = view(a);
        FloatBuffer second = view(a);
        float old = first.get(0);
        float probe = old == 1f ? 2f : 1f;
        first.put(0, probe);
        boolean shared = second.get(0) == probe;
        first.put(0, old);
        return shared;
    }

    private static FloatBuffer view(NDArray a) {
        return a.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static void run(FloatBuffer wb, FloatBuffer gb, FloatBuffer mb, FloatBuffer vb, int from, int to,
            Constants c) {
        float scale = c.gradientScale();
        float decay = c.decay();
        boolean decays = c.decays();
        float b1 = c.beta1();
        float b1c = c.oneMinusBeta1();
        float b2 = c.beta2();
        float b2c = c.oneMinusBeta2();
        float bc2 = c.sqrtBiasCorrection2();
        float eps = c.eps();
        float step = c.stepSize();
        for (int i = from; i < to; i++) {
            float w = wb.get(i);
            if (decays) {
                w = w * decay;
            }
            float g = gb.get(i) * scale;
            float m = mb.get(i) * b1 + g * b1c;
            float v = vb.get(i) * b2 + (g * g) * b2c;
            float denom = (float) Math.sqrt(v) / bc2 + eps;
            wb.put(i, w - (m / denom) * step);
            mb.put(i, m);
            vb.put(i, v);
            gb.put(i, 0f);
        }
    }
}
