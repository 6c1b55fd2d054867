package io.github.perfkit.parallel.redis;

import java.time.Duration;

/**
 * What one instance's {@link FleetRateLimit} has done since it was built: an immutable snapshot
 * from {@link FleetRateLimit#stats()}. Counters never go down; each moves as its Javadoc says.
 *
 * @param granted permits handed out to callers (shared and local)
 * @param waited of those, permits whose caller slept until the permit was due
 * @param rejected permits refused: not due within the caller's wait, or the caller was interrupted
 * @param fallbacks of the granted, permits from this instance's local share while Redis was away
 * @param redisRoundTrips commands this instance sent to Redis (reservations and heartbeats)
 * @param totalWait time callers spent in the limit before a grant, summed
 * @param mode the mode at the time of the snapshot
 * @param liveInstances instances alive at the last heartbeat (or assumed, before the first)
 */
public record FleetStats(long granted, long waited, long rejected, long fallbacks,
    long redisRoundTrips, Duration totalWait, FleetRateLimit.Mode mode, int liveInstances) {}
