/** Deployment examples: running exported models with ONNX Runtime from Java and measuring their latency. */
package ai.distill4j.examples.deploy;
