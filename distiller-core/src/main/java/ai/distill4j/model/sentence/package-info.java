/**
 * The Sentence-Transformers folder layout: {@link ai.distill4j.model.sentence.SentenceTransformers} writes and reads
 * {@code modules.json}, {@code config_sentence_transformers.json}, {@code sentence_bert_config.json}, the encoder
 * ({@code config.json}, {@code model.safetensors}), {@code tokenizer.json}, {@code 1_Pooling/config.json} and
 * {@code 2_Normalize}; a loaded folder is a {@link ai.distill4j.model.sentence.SentenceModel}. The file contents
 * follow Sentence-Transformers' own {@code save}/{@code load} code (described in {@code docs/sentence-embeddings.md}).
 */
package ai.distill4j.model.sentence;
