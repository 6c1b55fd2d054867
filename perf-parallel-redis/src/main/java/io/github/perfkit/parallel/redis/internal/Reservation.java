package io.github.perfkit.parallel.redis.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Permits this instance took from the fleet's bucket in one round trip, handed out to its callers
 * in order, each at the time the bucket made it due: permit k is due
 * {@code base + max(0, first + k * interval)}. Slots left unclaimed past {@code expires} are dropped
 * (the fleet then under-uses them; it never exceeds the limit by more than one batch per instance).
 * Thread-safe: a claim is one compare-and-set.
 */
final class Reservation {

  /** {@link #claim}: nothing left (or expired); take a new reservation. */
  static final long EMPTY = Long.MIN_VALUE;
  /** {@link #claim}: the next permit is due after the caller's deadline; nothing taken. */
  static final long LATE = Long.MAX_VALUE;

  private final long base;
  private final double first;
  private final double interval;
  private final int count;
  private final long expires;
  private final AtomicInteger next = new AtomicInteger();

  Reservation(long base, double firstNanos, double intervalNanos, int count, long graceNanos) {
    this.base = base;
    this.first = firstNanos;
    this.interval = intervalNanos;
    this.count = count;
    this.expires = due(count - 1) + graceNanos;
  }

  private long due(int k) {
    return base + (long) Math.max(0, first + k * interval);
  }

  /**
   * @param now {@link System#nanoTime()}
   * @param deadline the latest due time the caller accepts
   * @return the claimed permit's due time, {@link #EMPTY} or {@link #LATE}
   */
  long claim(long now, long deadline) {
    if (now - expires > 0) {
      return EMPTY;
    }
    while (true) {
      int k = next.get();
      if (k >= count) {
        return EMPTY;
      }
      long due = due(k);
      if (due - deadline > 0 && due - now > 0) { // due now is never late, even with a zero wait
        return LATE;
      }
      if (next.compareAndSet(k, k + 1)) {
        return due;
      }
    }
  }

  /** @return permits not claimed yet (some may be due later) */
  int remaining(long now) {
    return now - expires > 0 ? 0 : Math.max(0, count - next.get());
  }
}
