/**
 * A HuggingFace-exact BERT as one DJL block ({@link ai.distill4j.model.bert.BertModel}), its config
 * ({@link ai.distill4j.model.bert.BertConfig}), inputs, outputs, heads, and student construction
 * ({@link ai.distill4j.model.bert.Students}).
 */
package ai.distill4j.model.bert;
