/**
 * What a run writes while it trains, apart from checkpoints: the per-batch log {@code metrics.jsonl}
 * ({@link ai.distill4j.distill.log.MetricsLog}), the evaluation log {@code eval.jsonl}
 * ({@link ai.distill4j.distill.log.EvalLog}), TensorBoard event files
 * ({@link ai.distill4j.distill.log.TensorBoardWriter}, read back by
 * {@link ai.distill4j.distill.log.TensorBoardEventFiles}) and a PNG of the curves
 * ({@link ai.distill4j.distill.log.LossCurvePlot}).
 *
 * <p>These classes take plain values (step numbers, {@code Map<String, Double>} scalars, paths) and know nothing of
 * models or distillers. The logs survive a killed process row by row and can be cut back atomically when a run
 * resumes. The file formats are described in {@code docs/checkpoints-and-logs.md}.
 */
package ai.distill4j.distill.log;
