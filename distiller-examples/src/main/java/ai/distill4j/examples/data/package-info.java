/**
 * The example data sets: the labeled SpamAssassin task ({@link ai.distill4j.examples.data.SpamDataset}, one split
 * of {@link ai.distill4j.examples.data.LabeledEmail} records read from {@code data/spam}) and unlabeled text for
 * task-agnostic distillation ({@link ai.distill4j.examples.data.EuroparlCorpus}, streamed from the Europarl sample
 * in Lucene's test framework on the classpath, and {@link ai.distill4j.examples.data.UnlabeledText}, a seeded mix of
 * email and Europarl text).
 */
package ai.distill4j.examples.data;
