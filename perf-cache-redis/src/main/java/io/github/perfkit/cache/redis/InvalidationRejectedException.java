package io.github.perfkit.cache.redis;

/**
 * Thrown by {@link TieredFunction#invalidate} when the cache's outbox of undelivered
 * invalidations is full ({@link RedisTier.Builder#maxPendingInvalidations}), which happens only
 * while Redis has been unusable for a while. The key was dropped from this instance's near cache,
 * but Redis and the other instances were not told and will not be: they may serve the old value
 * until it expires from Redis ({@code l2Ttl}) and from their near caches. Retry later, or
 * {@link TieredFunction#invalidateAll()} (which is never rejected) once Redis is back. Counted as
 * {@code perfkit.cache.invalidations.rejected} and in {@link TierStats#invalidationsRejected()}.
 * The message names the cache and the limit, never the key.
 */
public final class InvalidationRejectedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String cacheName;
  private final int maxPending;

  /**
   * @param cacheName the cache
   * @param maxPending the outbox's capacity that was reached
   */
  public InvalidationRejectedException(String cacheName, int maxPending) {
    super("cache '" + cacheName + "' has " + maxPending
        + " invalidations waiting for Redis (maxPendingInvalidations): this one was applied to the"
        + " local near cache only; Redis and the other instances were not told");
    this.cacheName = cacheName;
    this.maxPending = maxPending;
  }

  /** @return the cache's name */
  public String cacheName() {
    return cacheName;
  }

  /** @return the outbox's capacity that was reached */
  public int maxPending() {
    return maxPending;
  }
}
