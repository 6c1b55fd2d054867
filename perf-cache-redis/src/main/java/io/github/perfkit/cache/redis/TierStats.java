package io.github.perfkit.cache.redis;

/**
 * What the Redis tier of one cache did since it started, in this instance. Immutable.
 *
 * @param l2Hits L1 misses answered by Redis
 * @param l2Misses L1 misses Redis did not have (or could not answer)
 * @param l2Puts values written to Redis
 * @param loads loader calls made by this instance
 * @param fallbacks Redis operations skipped or failed (down, slow, breaker open): the caller was
 *     served from L1 or the loader instead
 * @param oversize values too large for Redis, kept in L1 only
 * @param invalidationsSent invalidations this instance delivered: Redis deleted the value(s) and
 *     published the message (an invalidation retried from the outbox counts once, when it lands)
 * @param invalidationsReceived invalidation messages from other instances applied to L1
 * @param l1Clears times L1 was cleared because invalidations may have been missed (reconnect)
 * @param singleFlightWaits loads skipped because another instance held the key's load lock
 * @param staleStoresRefused loaded values not written to Redis because their key (or the whole
 *     cache) was invalidated while they loaded, Redis reconnected meanwhile, or the load took
 *     longer than 30 seconds; the value still reached the caller
 * @param invalidationsQueued invalidations Redis did not confirm at once, which went to the outbox
 *     to be retried ({@link InvalidationStatus#QUEUED})
 * @param invalidationsRejected invalidations refused because the outbox was full
 *     ({@link InvalidationRejectedException}): applied to this instance's L1 only
 * @param invalidationsPending invalidations waiting in the outbox now (keys, plus one for a
 *     waiting invalidateAll)
 */
public record TierStats(long l2Hits, long l2Misses, long l2Puts, long loads, long fallbacks,
    long oversize, long invalidationsSent, long invalidationsReceived, long l1Clears,
    long singleFlightWaits, long staleStoresRefused, long invalidationsQueued,
    long invalidationsRejected, long invalidationsPending) {}
