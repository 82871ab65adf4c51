/**
 * Checkpoint files: a safetensors reader and writer of distill4j's own (F32, F16, BF16, integers), and
 * HuggingFace model folders ({@link ai.distill4j.model.io.BertModels}).
 */
package ai.distill4j.model.io;
