package ai.distill4j.distill.internal;

/**
 * Derives independent seeds from a base seed and an index (SplitMix64), so that every forward batch, every
 * epoch's shuffle and every projection's initialisation get their own reproducible randomness.
 *
 * @since 0.1.0
 */
public final class Seeds {

    private Seeds() {}

    /**
     * Mixes a base seed with an index.
     *
     * @param seed the base seed
     * @param index the index (epoch, global batch index, ...)
     * @return a well-mixed 64-bit seed
     */
    public static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Mixes a base seed with an index into a non-negative {@code int} (for DJL's {@code Engine.setRandomSeed}).
     *
     * @param seed the base seed
     * @param index the index
     * @return a non-negative int seed
     */
    public static int mixToInt(long seed, long index) {
        return (int) (mix(seed, index) >>> 33);
    }
}
