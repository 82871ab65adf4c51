/**
 * Types shared by the whole framework: {@link ai.distill4j.ValidationException}, the one exception type for bad
 * input (configs, run files, data files, models that do not fit the configs).
 */
package ai.distill4j;
