/**
 * ONNX interchange for BERT models without a native ONNX library: {@link ai.distill4j.model.onnx.OnnxModelReader}
 * and {@link ai.distill4j.model.onnx.OnnxModelWriter} speak the protobuf wire format directly,
 * {@link ai.distill4j.model.onnx.BertOnnxImporter} turns an exported BERT graph into a HuggingFace checkpoint and
 * {@link ai.distill4j.model.onnx.BertOnnxExporter} builds an ONNX graph from a model.
 */
package ai.distill4j.model.onnx;
