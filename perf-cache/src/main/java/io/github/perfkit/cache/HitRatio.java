package io.github.perfkit.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Hits and misses of a cache over some period, and their ratio. Immutable and thread-safe.
 *
 * @param hits requests served from the cache
 * @param misses requests that had to load
 * @param period the period the counts cover: the cache's age for lifetime figures, the time actually
 *     covered for a recent window (shorter than asked when the cache is younger or was read rarely)
 */
public record HitRatio(long hits, long misses, Duration period) {

  /**
   * Validates the counts.
   *
   * @throws IllegalArgumentException if a count is negative
   * @throws NullPointerException if {@code period} is null
   */
  public HitRatio {
    if (hits < 0) {
      throw new IllegalArgumentException("hits must be >= 0 but was " + hits);
    }
    if (misses < 0) {
      throw new IllegalArgumentException("misses must be >= 0 but was " + misses);
    }
    Objects.requireNonNull(period, "period");
  }

  /** @return hits plus misses */
  public long requests() {
    return hits + misses;
  }

  /** @return hits divided by requests; 1.0 when there were no requests, as Caffeine reports it */
  public double ratio() {
    long requests = requests();
    return requests == 0 ? 1.0 : (double) hits / requests;
  }
}
