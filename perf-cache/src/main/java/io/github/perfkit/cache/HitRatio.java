package io.github.perfkit.cache;

/**
 * Hits and misses of a cache over some period, and their ratio. Immutable and thread-safe.
 *
 * @param hits requests served from the cache
 * @param misses requests that had to load
 */
public record HitRatio(long hits, long misses) {

  /**
   * Validates the counts.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public HitRatio {
    if (hits < 0) {
      throw new IllegalArgumentException("hits must be >= 0 but was " + hits);
    }
    if (misses < 0) {
      throw new IllegalArgumentException("misses must be >= 0 but was " + misses);
    }
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
