package ai.distill4j.loss.feature;

import ai.djl.ndarray.NDArray;

/** Brings attention maps to the {@code (B, H, L, L)} layout the attention losses share. */
final class AttentionMaps {

    private AttentionMaps() {}

    /**
     * Accepts {@code (B, H, L, L)} as is and {@code (B, L, L)} as a single head.
     *
     * @param name registry name
     * @param role "student" or "teacher"
     * @param a the attention maps
     * @return {@code (B, H, L, L)}
     */
    static NDArray heads(String name, String role, NDArray a) {
        MatchInputs.checkRank(name, role, a, new int[] {3, 4}, "(B, H, L, L) or (B, L, L)");
        long[] dims = a.getShape().getShape();
        if (dims[dims.length - 1] != dims[dims.length - 2]) {
            throw new IllegalArgumentException(
                    "loss '" + name + "' takes square attention maps (..., L, L), got " + role + " " + a.getShape());
        }
        return a.getShape().dimension() == 3 ? a.expandDims(1) : a;
    }
}
