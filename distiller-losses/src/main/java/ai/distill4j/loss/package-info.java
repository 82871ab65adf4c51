/** Knowledge-distillation losses as pure functions of NDArrays, and the registry that names them. */
package ai.distill4j.loss;
