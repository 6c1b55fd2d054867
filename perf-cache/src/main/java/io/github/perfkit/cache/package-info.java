/**
 * perf-cache: memoize slow functions on Caffeine, with hit-rate tracking exported under the metric
 * names that existing cache dashboards read.
 *
 * <p><b>Where to start: {@link io.github.perfkit.cache.Memoizer}.</b> Every cache starts at
 * {@code Memoizer.named(name)}: set its policies, then end with the form of function it wraps
 * (a {@link java.util.function.Function}, a pair of arguments, a supplier, a loader that throws, an
 * asynchronous loader). What comes back is the function itself, memoized, with its statistics,
 * its {@code metrics()} for Micrometer and its hit-ratio target check;
 * {@link io.github.perfkit.cache.CacheRegistry} lists several caches at once.
 */
package io.github.perfkit.cache;
