package io.github.perfkit.cache.internal;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one stats counter of a memoized cache: Caffeine reports hits, misses, loads and evictions into
 * it (it replaces Caffeine's own counter rather than adding a second), and perfkit's own load path
 * reports into it too. Striped adders: a hit is one uncontended add. Thread-safe.
 */
public final class TrackingStatsCounter implements StatsCounter {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder loadSuccesses = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder totalLoadNanos = new LongAdder();
  private final LongAdder evictionWeight = new LongAdder();
  private final LongAdder[] evictionsByCause = new LongAdder[RemovalCause.values().length];

  public TrackingStatsCounter() {
    for (int i = 0; i < evictionsByCause.length; i++) {
      evictionsByCause[i] = new LongAdder();
    }
  }

  @Override
  public void recordHits(int count) {
    hits.add(count);
  }

  @Override
  public void recordMisses(int count) {
    misses.add(count);
  }

  @Override
  public void recordLoadSuccess(long loadTime) {
    loadSuccesses.increment();
    totalLoadNanos.add(loadTime);
  }

  @Override
  public void recordLoadFailure(long loadTime) {
    loadFailures.increment();
    totalLoadNanos.add(loadTime);
  }

  @Override
  public void recordEviction(int weight, RemovalCause cause) {
    evictionsByCause[cause.ordinal()].increment();
    evictionWeight.add(weight);
  }

  /** Counts an explicit put (the loader's result stored, or a user put). */
  public void recordPut() {
    puts.increment();
  }

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  public long puts() {
    return puts.sum();
  }

  public long loadSuccesses() {
    return loadSuccesses.sum();
  }

  public long loadFailures() {
    return loadFailures.sum();
  }

  public long totalLoadNanos() {
    return totalLoadNanos.sum();
  }

  public long evictionWeight() {
    return evictionWeight.sum();
  }

  public long evictions(RemovalCause cause) {
    return evictionsByCause[cause.ordinal()].sum();
  }

  @Override
  public CacheStats snapshot() {
    long evictions = 0;
    for (RemovalCause cause : RemovalCause.values()) {
      if (cause.wasEvicted()) {
        evictions += evictions(cause);
      }
    }
    return CacheStats.of(hits(), misses(), loadSuccesses(), loadFailures(), totalLoadNanos(),
        evictions, evictionWeight());
  }
}
