/** Tokenization of texts into BERT input batches, with explicit length, truncation and padding. */
package ai.distill4j.model.text;
