package io.github.perfkit.core.internal;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Adaptive warm-up: runs rounds until the timings of every series have settled
 * ({@link SteadyState}), at least {@code minRounds} rounds and {@code minNanos}, at most (once the
 * floors are met) {@code limitNanos}. Not thread-safe; stateless between runs.
 */
public final class Warmup {

  /** The default limit of an adaptive warm-up: 5 s. */
  public static final long DEFAULT_LIMIT_NANOS = 5_000_000_000L;

  /** Runs one warm-up round, writing each series' time (nanoseconds) into {@code times}. */
  @FunctionalInterface
  public interface Round<E extends Exception> {
    /**
     * @param times one slot per series
     * @throws E whatever the measured code throws
     */
    void run(double[] times) throws E;
  }

  /**
   * How a warm-up ended.
   *
   * @param rounds rounds run
   * @param nanos time spent
   * @param settled whether the timings had settled when it stopped (false: the limit was hit)
   * @param limitNanos the limit
   */
  public record Outcome(int rounds, long nanos, boolean settled, long limitNanos) {

    /** @return one sentence for reports */
    public String text() {
      if (limitNanos == 0) {
        return String.format(Locale.ROOT, "warm-up: %d rounds in %s (limit 0: the floors only;"
            + " the timings had %s)", rounds, Format.duration(nanos),
            settled ? "settled" : "not settled, the samples may include JIT compilation or drift");
      }
      if (settled) {
        return String.format(Locale.ROOT, "warm-up: %d rounds in %s, timings settled", rounds,
            Format.duration(nanos));
      }
      return String.format(Locale.ROOT, "warm-up: hit its limit of %s after %d rounds in %s"
          + " without the timings settling; the samples may include JIT compilation or drift",
          Format.duration(limitNanos), rounds, Format.duration(nanos));
    }
  }

  private Warmup() {}

  /**
   * @param clock nanoseconds
   * @param series how many timings a round gives
   * @param minRounds floor of rounds, {@code >= 0}
   * @param minNanos floor of time, {@code >= 0}
   * @param limitNanos the most time once the floors are met, {@code >= 0}
   * @param round one round
   * @param <E> what a round may throw
   * @return how it ended
   * @throws E whatever a round throws
   */
  public static <E extends Exception> Outcome run(LongSupplier clock, int series, int minRounds,
      long minNanos, long limitNanos, Round<E> round) throws E {
    SteadyState[] detectors = new SteadyState[series];
    for (int i = 0; i < series; i++) {
      detectors[i] = SteadyState.defaults();
    }
    double[] times = new double[series];
    long start = clock.getAsLong();
    int rounds = 0;
    boolean steady = false;
    while (true) {
      long elapsed = clock.getAsLong() - start;
      boolean floors = rounds >= minRounds && elapsed >= minNanos;
      if (floors && steady) {
        for (SteadyState d : detectors) {
          steady &= d.steadyNow(); // the scheduled check may predate the floors
        }
      }
      if (floors && (steady || elapsed >= limitNanos)) {
        return new Outcome(rounds, elapsed, steady, limitNanos);
      }
      round.run(times);
      rounds++;
      boolean all = true;
      for (int i = 0; i < series; i++) {
        all &= detectors[i].add(times[i]);
      }
      steady = all;
    }
  }
}
