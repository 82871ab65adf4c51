/**
 * The quickstart: fine-tune the bundled all-MiniLM-L6-v2 as a spam-filter teacher, distill it into a 3-layer
 * student with {@link ai.distill4j.distill.GeneralDistiller} (KD, hard labels, hidden-state and CKD relation
 * matches), train the same student without a teacher as a baseline, and compare the three on the test split.
 *
 * <p>{@link ai.distill4j.examples.quickstart.Quickstart} runs it, configured by
 * {@link ai.distill4j.examples.quickstart.QuickstartSettings}; the result is a
 * {@link ai.distill4j.examples.quickstart.QuickstartReport}. The command line is {@code ./distill4j quickstart}.
 */
package ai.distill4j.examples.quickstart;
