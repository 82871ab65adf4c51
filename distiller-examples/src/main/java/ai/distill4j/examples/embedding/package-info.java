/**
 * The embedding example: task-agnostic compression of a sentence-embedding model (all-MiniLM-L6-v2) into a
 * shallower or narrower student on unlabeled text ({@link ai.distill4j.examples.embedding.EmbeddingExample}), with
 * the loss objectives it compares ({@link ai.distill4j.examples.embedding.EmbeddingObjective}), and the pieces the
 * other examples reuse: length-bucketed batching ({@link ai.distill4j.examples.embedding.TextBatches}), the cached
 * base model ({@link ai.distill4j.examples.embedding.MiniLmTeacher}) and the run clock
 * ({@link ai.distill4j.examples.embedding.RunClock}). Run it with {@code ./distill4j example embedding}.
 */
package ai.distill4j.examples.embedding;
