/**
 * Building blocks the engine shares between its packages; <b>not part of the API</b>. The classes are public only
 * because Java packages cannot share otherwise: they may change or disappear in any release, semantic versioning
 * does not cover them, and user code should not call them.
 *
 * <p>Here: JSON text written the way Python writes it and its shortest-round-trip doubles, crash-safe file
 * operations, the reading and validation of JSON config objects with their error messages, seed mixing, and the
 * console progress bar.
 */
package ai.distill4j.distill.internal;
