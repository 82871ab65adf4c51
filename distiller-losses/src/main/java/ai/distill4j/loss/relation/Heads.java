package ai.distill4j.loss.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Splits hidden vectors into attention heads and joins them back. */
final class Heads {

    private Heads() {}

    /**
     * Splits {@code (B, S, H)} into {@code heads} heads: {@code (B, heads, S, H / heads)}.
     *
     * @param x the vectors
     * @param heads the head count; must divide H
     * @return the heads
     */
    static NDArray split(NDArray x, long heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }

    /**
     * Joins the heads of {@code (B, A, S, d)} into {@code (B, S, A * d)} (head-major, as the model concatenates
     * them).
     *
     * @param x the heads
     * @return the joined vectors
     */
    static NDArray merge(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }
}
