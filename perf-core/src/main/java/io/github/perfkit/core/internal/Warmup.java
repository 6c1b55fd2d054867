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
    return run(clock, null, series, minRounds, minNanos, limitNanos, round);
  }

  /**
   * The JIT's total compilation time so far, in milliseconds (all compiler threads), or -1 when
   * this JVM does not report it.
   *
   * @return milliseconds
   */
  public static long jitMillis() {
    return JIT == null ? -1 : JIT.getTotalCompilationTime();
  }

  /** The JVM's compiler bean, or null when it has none or does not time compilations. */
  private static final java.lang.management.CompilationMXBean JIT = jitBean();

  private static java.lang.management.CompilationMXBean jitBean() {
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit : null;
  }

  /** The share of the recent warm-up the JIT may spend compiling for it to count as quiet: 5%. */
  public static final double JIT_QUIET_SHARE = 0.05;

  /** The least stretch of warm-up over which the JIT must be quiet: 50 ms. */
  public static final long JIT_QUIET_NANOS = 50_000_000L;

  /**
   * As {@link #run(LongSupplier, int, int, long, long, Round)}, and the timings count as settled
   * only while the JIT is quiet: over the last third of the warm-up (at least
   * {@link #JIT_QUIET_NANOS}) it compiled for at most {@link #JIT_QUIET_SHARE} of the time. Flat
   * timings are not enough: code can run at one level in C1-compiled form for a while, look settled,
   * and then drop to a third when C2's compilation lands (seen with {@code String.format}: settled
   * after 0.3 s at 1.8 ms per call, 0.55 ms once compiled).
   *
   * @param clock nanoseconds
   * @param jitMillis the JIT's total compilation time in ms (e.g. {@link #jitMillis()}), or null
   *     to judge the timings alone (a fake clock)
   * @param series how many timings a round gives
   * @param minRounds floor of rounds, {@code >= 0}
   * @param minNanos floor of time, {@code >= 0}
   * @param limitNanos the most time once the floors are met, {@code >= 0}
   * @param round one round
   * @param <E> what a round may throw
   * @return how it ended
   * @throws E whatever a round throws
   */
  public static <E extends Exception> Outcome run(LongSupplier clock, LongSupplier jitMillis,
      int series, int minRounds, long minNanos, long limitNanos, Round<E> round) throws E {
    JitHistory jit = jitMillis == null || jitMillis.getAsLong() < 0 ? null
        : new JitHistory(jitMillis);
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
        // the JIT first: a binary search, where confirming the timings sorts them
        steady = jit == null || jit.quiet(elapsed);
        for (int i = 0; steady && i < series; i++) {
          steady = detectors[i].steadyNow(); // the scheduled check may predate the floors
        }
      }
      if (floors && (steady || elapsed >= limitNanos)) {
        return new Outcome(rounds, elapsed, steady, limitNanos);
      }
      round.run(times);
      rounds++;
      if (jit != null) {
        jit.sample(clock.getAsLong() - start);
      }
      boolean all = true;
      for (int i = 0; i < series; i++) {
        all &= detectors[i].add(times[i]);
      }
      steady = all;
    }
  }

  /** The JIT's compilation time against warm-up time, sampled at most once a millisecond. */
  private static final class JitHistory {
    private final LongSupplier jitMillis;
    private long[] at = new long[256];
    private long[] millis = new long[256];
    private int size;

    JitHistory(LongSupplier jitMillis) {
      this.jitMillis = jitMillis;
      append(0, jitMillis.getAsLong());
    }

    void sample(long elapsed) {
      if (elapsed - at[size - 1] >= 1_000_000L) {
        append(elapsed, jitMillis.getAsLong());
      }
    }

    private void append(long elapsed, long ms) {
      if (size == at.length) {
        if (size >= 1 << 14) { // keep every other sample: the history still spans the warm-up
          for (int i = 0; i < size / 2; i++) {
            at[i] = at[2 * i];
            millis[i] = millis[2 * i];
          }
          size /= 2;
        } else {
          at = java.util.Arrays.copyOf(at, size * 2);
          millis = java.util.Arrays.copyOf(millis, size * 2);
        }
      }
      at[size] = elapsed;
      millis[size] = ms;
      size++;
    }

    boolean quiet(long elapsed) {
      long from = elapsed - Math.max(elapsed / 3, JIT_QUIET_NANOS);
      int i = java.util.Arrays.binarySearch(at, 0, size, from);
      i = Math.min(size - 1, i >= 0 ? i : -i - 1); // the first sample at or after from
      long window = elapsed - at[i];
      long compiled = jitMillis.getAsLong() - millis[i];
      return window >= Math.min(JIT_QUIET_NANOS, elapsed) && compiled * 1e6 <= JIT_QUIET_SHARE
          * window;
    }
  }
}
