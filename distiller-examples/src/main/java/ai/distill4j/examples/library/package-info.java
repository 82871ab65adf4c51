/**
 * The longer library example that {@code docs/library.md} quotes, compiled and run by the test suite.
 */
package ai.distill4j.examples.library;
