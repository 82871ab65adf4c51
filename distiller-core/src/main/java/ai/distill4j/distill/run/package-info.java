/** Run files: a whole distillation described by one JSON file ({@link ai.distill4j.distill.run.RunFile}). */
package ai.distill4j.distill.run;
