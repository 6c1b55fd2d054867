/**
 * perf-core: measure where time goes.
 *
 * <p>The front door is {@link io.github.perfkit.core.LatencyRecorder}: a named, thread-safe recorder of
 * durations with HdrHistogram precision, whose {@link io.github.perfkit.core.LatencySnapshot snapshots}
 * report count, mean, min, max and percentiles. Every other perfkit module records into recorders of
 * this package; reports and Micrometer bindings read from them.
 *
 * <p>{@link io.github.perfkit.core.VirtualThreads} tells whether the running JVM has virtual threads
 * (Java 21+) and creates them when it does, while the library itself compiles for Java 17.
 */
package io.github.perfkit.core;
