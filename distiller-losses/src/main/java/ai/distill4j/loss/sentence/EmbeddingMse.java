package ai.distill4j.loss.sentence;

import ai.djl.ndarray.NDArray;
import ai.distill4j.loss.Arity;
import ai.distill4j.loss.MatchLoss;
import java.util.List;

/**
 * Mean squared error between student and teacher sentence vectors ({@code embedding_mse}).
 *
 * <pre>
 * L = (1 / (B D)) sum_{b,d} (s_bd - t_bd)^2
 * </pre>
 *
 * <ul>
 *   <li>Inputs: one {@code (B, D)} tensor per side; widths must match (project the student otherwise).
 *   <li>Mask: ignored (sentence vectors are already pooled).
 *   <li>Reduction: mean over all B·D values.
 *   <li>The teacher is a constant (no gradient).
 * </ul>
 *
 * <pre>
 * Reimers, Gurevych. Making Monolingual Sentence Embeddings Multilingual using Knowledge Distillation. EMNLP 2020
 * (sentence-transformers MSELoss).
 * </pre>
 *
 * @since 0.1.0
 */
public final class EmbeddingMse implements MatchLoss {

    /** The registry name. */
    public static final String NAME = "embedding_mse";

    /** Creates the loss (it has no arguments). */
    public EmbeddingMse() {}

    /** {@inheritDoc} */
    @Override
    public Arity arity() {
        return Arity.SINGLE;
    }

    /**
     * Computes the loss.
     *
     * @param student one tensor {@code (B, D)}
     * @param teacher one tensor {@code (B, D)}
     * @param mask ignored
     * @return a scalar
     */
    @Override
    public NDArray compute(List<NDArray> student, List<NDArray> teacher, NDArray mask) {
        SentenceVectors.check(NAME, student, teacher, true);
        NDArray s = student.get(0);
        return s.sub(SentenceVectors.constant(teacher.get(0), s)).square().mean();
    }
}
