package ai.distill4j.model.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.util.RandomUtils;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Inverted dropout whose keep mask is drawn on the host, in parallel: {@code y = x · mask} with
 * {@code mask = 1/(1-p)} where kept and 0 where dropped, exactly what {@code torch.nn.functional.dropout} computes
 * (its backward multiplies the gradient by the same mask). PyTorch's CPU Bernoulli sampler runs on one thread
 * (its MKL path is used on Intel processors only) and costs about as much as a matrix product per attention map;
 * this sampler splits the mask into fixed chunks of 65,536 elements, each drawn from its own
 * {@link SplittableRandom}, split in chunk order from one seeded generator, so the mask does not depend on the
 * thread count.
 *
 * <p>The mask is written straight into the new tensor's memory through a direct view (CPU tensors only; on
 * another device, or beyond 2^31 elements, PyTorch's dropout is used).
 *
 * <p>The seed of each call comes from DJL's {@link RandomUtils#RANDOM}, which {@code Engine.setRandomSeed} resets
 * together with PyTorch's generator: a run reseeded per batch (as the distillers do) draws the same masks again.
 * An element is dropped when a uniform 32-bit integer is below {@code floor(p · 2^32)}.
 *
 * @since 0.1.0
 */
final class HostDropout {

    /** Elements per independently seeded chunk. */
    static final int CHUNK = 1 << 16;


    private HostDropout() {}

    /**
     * Applies dropout in training mode.
     *
     * @param x the input; the output and the mask attach to its manager
     * @param rate the drop probability, in (0, 1)
     * @return {@code x · mask}
     */
    static NDArray apply(NDArray x, float rate) {
        long n = x.getShape().size();
        if (n > Integer.MAX_VALUE || !Device.cpu().equals(x.getDevice())) {
            return Dropout.dropout(x, rate, true).singletonOrThrow();
        }
        try (NDArray mask = mask(x.getManager(), x.getShape(), rate, RandomUtils.RANDOM.nextLong())) {
            return x.mul(mask);
        }
    }

    /**
     * Draws a keep mask.
     *
     * @param manager where the mask is created
     * @param shape its shape
     * @param rate the drop probability, in (0, 1)
     * @param seed the seed
     * @return FLOAT32 with {@code 0} (dropped) or {@code 1/(1-rate)} (kept)
     */
    static NDArray mask(NDManager manager, Shape shape, float rate, long seed) {
        if (!(rate > 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout rate " + rate + ": must be in (0, 1)");
        }
        int n = Math.toIntExact(shape.size());
        // fill the new tensor's own memory through a direct view: no host buffer, no copy
        NDArray mask = manager.create(shape, DataType.FLOAT32);
        FloatBuffer out = mask.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        float keep = (float) (1.0 / (1.0 - rate));
        long threshold = (long) Math.floor(rate * 4294967296.0);
        int chunks = (n + CHUNK - 1) / CHUNK;
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[chunks];
        for (int c = 0; c < chunks; c++) {
            streams[c] = root.split();
        }
        IntStream.range(0, chunks).parallel().forEach(c -> fill(out, streams[c], c, n, threshold, keep));
        return mask;
    }

    private static void fill(FloatBuffer out, SplittableRandom r, int chunk, int n, long threshold, float keep) {
        int from = chunk * CHUNK;
        int to = Math.min(n, from + CHUNK);
        int i = from;
        for (; i + 1 < to; i += 2) {
            long bits = r.nextLong();
            out.put(i, (bits & 0xFFFFFFFFL) < threshold ? 0f : keep);
            out.put(i + 1, (bits >>> 32) < threshold ? 0f : keep);
        }
        if (i < to) {
            out.put(i, (r.nextLong() & 0xFFFFFFFFL) < threshold ? 0f : keep);
        }
    }
}
