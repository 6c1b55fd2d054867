package io.github.perfkit.cache.redis;

/**
 * What {@link TieredFunction#invalidate} and {@link TieredFunction#invalidateAll} did. Both
 * outcomes keep the promise of {@link TieredFunction#invalidate}: this instance never serves the
 * old value again, and every other instance stops serving it within a documented bound once Redis
 * answers; they differ in whether that has already happened in Redis. A full outbox, where the
 * bound cannot be kept, is not a status but an {@link InvalidationRejectedException}.
 */
public enum InvalidationStatus {

  /**
   * Redis deleted the value (and gave the key a new generation) and published the invalidation
   * message, in one script. Other instances drop the key when the message arrives: on loopback
   * in about a millisecond, within 1 second on a healthy connection.
   */
  DELIVERED,

  /**
   * Redis could not be asked (down, paused, slow, circuit breaker open, credentials refused), or
   * did not say whether it did it. The invalidation waits in this instance's outbox, which retries
   * it every 200 ms and at once when the connection comes back, until Redis confirms it. Until
   * then this instance does not read the key from Redis (a local miss goes to the loader) nor
   * write it there.
   */
  QUEUED
}
