/**
 * A Redis second tier for perf-cache caches shared by a fleet of instances.
 *
 * <p><b>Where to start: {@link io.github.perfkit.cache.redis.RedisTier}.</b> {@code
 * RedisTier.named(name)} takes the Redis URI, how keys and values are written
 * ({@link io.github.perfkit.cache.redis.KeyCodec}, {@link io.github.perfkit.cache.redis.ValueCodec})
 * and the near cache's size and time to live, and wraps a loader into a
 * {@link io.github.perfkit.cache.redis.TieredFunction}: an ordinary function with
 * {@code invalidate}, {@code redisStatus()} and {@code metrics()}.
 */
package io.github.perfkit.cache.redis;
