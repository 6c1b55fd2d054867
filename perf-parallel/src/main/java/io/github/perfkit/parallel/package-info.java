/**
 * perf-parallel: bounded executors for I/O-bound and CPU-bound work, rate limits, retries and request
 * batching.
 */
package io.github.perfkit.parallel;
