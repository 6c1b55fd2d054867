package io.github.perfkit.parallel.redis.internal;

/**
 * This instance's share of the fleet's limit, for while Redis is away: the same GCRA as the Redis
 * script, in process, on {@link System#nanoTime()}. {@link #reset} starts it empty (the first permit
 * is due at once, the next one interval later), so that switching to it never adds a burst on top of
 * what the fleet already took. Thread-safe (synchronized; a claim is a few arithmetic operations).
 */
final class LocalShare {

  private double interval; // nanos per permit of this instance's share
  private double tolerance; // (burst share - 1) * interval
  private double tat; // theoretical arrival time, in nanoTime units

  synchronized void reset(long now, double intervalNanos, double toleranceNanos) {
    this.interval = intervalNanos;
    this.tolerance = toleranceNanos;
    this.tat = now + toleranceNanos;
  }

  /** A new share (the live count changed) from now on, keeping what was taken. */
  synchronized void rescale(double intervalNanos, double toleranceNanos) {
    this.interval = intervalNanos;
    this.tolerance = toleranceNanos;
  }

  /**
   * @param now {@link System#nanoTime()}
   * @param deadline the latest due time the caller accepts
   * @return when the claimed permit is due, or {@code Long.MAX_VALUE} (nothing taken) if after
   *     {@code deadline} and not due now
   */
  synchronized long claim(long now, long deadline) {
    double t = Math.max(tat, now);
    double due = Math.max(now, t - tolerance);
    if (due > deadline && due > now) { // due now is never late, even with a zero wait
      return Long.MAX_VALUE;
    }
    tat = t + interval;
    return (long) due;
  }

  /** @return nanos per permit of the share */
  synchronized double interval() {
    return interval;
  }
}
