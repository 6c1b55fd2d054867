/**
 * perf-cache: memoize slow functions on Caffeine, with hit-rate tracking exported under the metric
 * names that existing cache dashboards read.
 */
package io.github.perfkit.cache;
