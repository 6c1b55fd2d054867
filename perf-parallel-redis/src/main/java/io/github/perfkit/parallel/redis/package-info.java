/**
 * A rate limit shared by every instance of a service, kept in Redis. The front door is
 * {@link io.github.perfkit.parallel.redis.FleetRateLimit}: build one per downstream quota and hand
 * {@link io.github.perfkit.parallel.redis.FleetRateLimit#asRateLimiter()} to
 * {@code Guard.named(..).rateLimiter(..)}.
 */
package io.github.perfkit.parallel.redis;
