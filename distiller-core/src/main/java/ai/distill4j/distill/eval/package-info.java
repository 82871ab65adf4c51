/**
 * Evaluation of sentence-embedding students, usable standalone ({@code Map<String, Double>} results) and as the
 * engine's {@link ai.distill4j.distill.callback.EvaluationCallback}:
 * {@link ai.distill4j.distill.eval.EmbeddingAgreementEvaluator} (teacher-student cosine, Spearman correlation of
 * pairwise similarities, nearest-neighbour agreement) and {@link ai.distill4j.distill.eval.RetrievalEvaluator}
 * (recall@1, recall@10 and MRR of queries against documents).
 */
package ai.distill4j.distill.eval;
