/**
 * The program the README shows, compiled and run by the test suite so that the README cannot drift from the API.
 */
package ai.distill4j.examples.readme;
