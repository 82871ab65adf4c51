package ai.distill4j.loss.relation;

import ai.distill4j.loss.GraphScalar;
import ai.djl.ndarray.NDArray;

/** The Huber loss with delta 1 (torch {@code smooth_l1_loss}), element-wise. */
final class SmoothL1 {

    private SmoothL1() {}

    /**
     * Computes {@code 0.5 x^2} where {@code |x| < 1}, else {@code |x| - 0.5}, with {@code x = a - b}, written as
     * {@code 0.5 q^2 + |x| - q} with {@code q = min(|x|, 1)} so that no branch is taken.
     *
     * @param a the student's values
     * @param b the teacher's values, same shape
     * @return the element-wise loss
     */
    static NDArray elementwise(NDArray a, NDArray b) {
        NDArray z = a.sub(b).abs();
        NDArray q = z.minimum(GraphScalar.of(z, 1));
        return q.square().mul(GraphScalar.of(q, 0.5)).add(z).sub(q);
    }
}
