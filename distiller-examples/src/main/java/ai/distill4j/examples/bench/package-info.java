/**
 * KD-BENCH-1, distill4j's performance benchmark: a fixed distillation workload (all-MiniLM-L6-v2 teacher, 3-layer
 * student, KD + hard-label + hidden and attention matches, AdamW) driven through the real
 * {@link ai.distill4j.distill.GeneralDistiller}, plus a GEMM peak, teacher/student inference latency, a
 * teacher-output cache experiment and a native-memory trace. The {@code distill4j bench} command runs it; see
 * {@code docs/performance.md}.
 *
 * @since 0.1.0
 */
package ai.distill4j.examples.bench;
