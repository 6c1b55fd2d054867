package io.github.perfkit.parallel.internal;

/**
 * Additive increase, multiplicative decrease, TCP style: a call faster than the latency threshold
 * adds {@code 1/limit} (about +1 per round trip of the whole limit) while the limit is in use; a
 * call slower than the threshold, or dropped, multiplies the limit by the backoff ratio, at most once
 * per {@code limit} completed calls so that one slow round trip is one decrease, not a collapse.
 */
public final class AimdAlgorithm implements LimitAlgorithm {

  private final double floor;
  private final double ceiling;
  private final double initial;
  private final long thresholdNanos;
  private final double backoff;
  private long samplesSinceDecrease = Long.MAX_VALUE / 2;

  /**
   * @param floor lowest limit
   * @param ceiling highest limit
   * @param initial starting limit
   * @param thresholdNanos a call slower than this signals overload
   * @param backoff multiplier on overload, in (0, 1)
   */
  public AimdAlgorithm(int floor, int ceiling, int initial, long thresholdNanos, double backoff) {
    this.floor = floor;
    this.ceiling = ceiling;
    this.initial = initial;
    this.thresholdNanos = thresholdNanos;
    this.backoff = backoff;
  }

  @Override
  public double initial() {
    return initial;
  }

  @Override
  public double onSample(long rttNanos, int inFlight, boolean dropped, double limit) {
    samplesSinceDecrease++;
    if (dropped || rttNanos > thresholdNanos) {
      if (samplesSinceDecrease >= limit) {
        samplesSinceDecrease = 0;
        return Math.max(floor, limit * backoff);
      }
      return limit;
    }
    if (inFlight * 2 >= limit) { // only grow a limit that is being used
      return Math.min(ceiling, limit + 1.0 / limit);
    }
    return limit;
  }

  @Override
  public String describe() {
    return "AIMD " + (int) floor + ".." + (int) ceiling;
  }
}
