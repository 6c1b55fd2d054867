/** A Redis second tier for perf-cache caches shared by a fleet of instances. */
package io.github.perfkit.cache.redis;
