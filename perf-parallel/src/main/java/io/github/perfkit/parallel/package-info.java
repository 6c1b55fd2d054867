/**
 * perf-parallel: bounded executors for I/O-bound and CPU-bound work, rate limits, retries and request
 * batching.
 *
 * <p><b>Where to start.</b> Three doors, by what the work needs:
 * <ul>
 *   <li>{@link io.github.perfkit.parallel.Parallel}, for running many calls at once: {@code
 *       Parallel.io(name)} (waiting work: virtual threads on Java 21+) or {@code Parallel.cpu(name)}
 *       (computing work: one thread per core) builds a
 *       {@link io.github.perfkit.parallel.BoundedExecutor} with {@code map}, {@code mapAll} and
 *       {@code forEachOrdered}. Start here: it is what most code needs;</li>
 *   <li>{@link io.github.perfkit.parallel.Guard}, for calls to something that must be protected or
 *       may fail: a rate limit, retries with backoff, an adaptive concurrency limit, around any
 *       function;</li>
 *   <li>{@link io.github.perfkit.parallel.RequestBatcher}, for many callers asking for one item
 *       each of a service that answers many at once: it gathers their keys into batch calls.</li>
 * </ul>
 */
package io.github.perfkit.parallel;
