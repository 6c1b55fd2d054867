package io.github.perfkit.cache.internal;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Hits and misses over recent windows (the last minute, the last five minutes) without any cost on
 * the hit path: it keeps samples of the lifetime counters, taken at most every {@code sampleEvery}
 * nanoseconds whenever someone reads the stats or a miss happens, and answers "since about T ago" as
 * the difference between now and the newest sample at least T old. The window actually covered is
 * reported with the figures, so a reader knows when samples were sparse. Thread-safe (synchronized;
 * never on the hit path).
 */
public final class HitWindow {

  /** A sample of the lifetime counters. */
  private record Sample(long atNanos, long hits, long misses) {}

  private final long sampleEveryNanos;
  private final long keepNanos;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();

  public HitWindow(long sampleEveryNanos, long keepNanos, long nowNanos) {
    this.sampleEveryNanos = sampleEveryNanos;
    this.keepNanos = keepNanos;
    samples.addLast(new Sample(nowNanos, 0, 0));
  }

  /** Takes a sample if the newest is older than the sampling period. */
  public synchronized void maybeSample(long nowNanos, long hits, long misses) {
    Sample newest = samples.peekLast();
    if (newest == null || nowNanos - newest.atNanos >= sampleEveryNanos) {
      samples.addLast(new Sample(nowNanos, hits, misses));
      // keep one sample older than the longest window, so that window can always be answered
      while (samples.size() > 2) {
        Iterator<Sample> it = samples.iterator();
        it.next();
        Sample second = it.next();
        if (nowNanos - second.atNanos >= keepNanos) {
          samples.removeFirst();
        } else {
          break;
        }
      }
    }
  }

  /**
   * Hits and misses since the newest sample taken at least {@code windowNanos} ago (or the oldest
   * sample, if none is that old).
   *
   * @return {hits, misses, coveredNanos}
   */
  public synchronized long[] since(long windowNanos, long nowNanos, long hits, long misses) {
    Sample base = samples.peekFirst();
    for (Sample s : samples) {
      if (nowNanos - s.atNanos >= windowNanos) {
        base = s;
      } else {
        break;
      }
    }
    return new long[] {hits - base.hits, misses - base.misses, nowNanos - base.atNanos};
  }
}
