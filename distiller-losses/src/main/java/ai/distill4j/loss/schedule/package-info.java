/**
 * Temperature schedulers ({@code constant}, {@code flsw}, {@code cwsm}) and loss-weight schedulers
 * ({@code linear_decay}, {@code linear_growth}) of TextBrewer. {@link ai.distill4j.loss.schedule.Schedules}
 * registers them by name.
 */
package ai.distill4j.loss.schedule;
