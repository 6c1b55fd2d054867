package io.github.perfkit.core.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fixed CPU workload to measure next to a section, so that a machine that got slower as a whole
 * (load from other processes, a lower CPU frequency) is not read as a regression: the section's time
 * divided by the calibration's, measured interleaved in the same JVM, stays put when both slow down
 * together. The workload is a register-only xorshift loop (no memory traffic, no allocation), so it
 * tracks CPU speed and share, not caches. Stateless and thread-safe; each unit costs
 * {@value #UNIT_ITERATIONS} loop iterations (some tens of microseconds).
 */
public final class Calibration {

  /** Loop iterations per unit. */
  public static final int UNIT_ITERATIONS = 1 << 14;

  /** A section to measure next to the calibration. */
  @FunctionalInterface
  public interface Section<E extends Exception> {
    /** @throws E whatever it throws */
    void run() throws E;
  }

  private static volatile long sink;

  private Calibration() {}

  /**
   * Runs the calibration loop.
   *
   * @param units how many units, {@code >= 1}
   * @return a value depending on every iteration (kept, so the loop is not dropped)
   */
  public static long spin(int units) {
    long x = 0x9E3779B97F4A7C15L + units;
    for (int u = 0; u < units; u++) {
      for (int i = 0; i < UNIT_ITERATIONS; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
      }
    }
    sink = x;
    return x;
  }

  /**
   * Warms the loop up, then measures {@code rounds} rounds, each running the section once and the
   * calibration once (sized to take about as long as the section) in a random order.
   *
   * @param section the code
   * @param sectionNanos about how long one run of the section takes (sizes the calibration)
   * @param rounds measured rounds, {@code >= 1}
   * @param seed for the order
   * @param <E> what the section throws
   * @return per round, the section's time divided by the time of one calibration unit
   * @throws E whatever the section throws
   */
  public static <E extends Exception> double[] ratios(Section<E> section, double sectionNanos,
      int rounds, long seed) throws E {
    Require.positive(rounds, "rounds");
    Warmup.run(System::nanoTime, 1, 20, 50_000_000L, 2_000_000_000L, times -> {
      long t0 = System.nanoTime();
      spin(1);
      times[0] = System.nanoTime() - t0;
    });
    double[] unit = new double[11];
    for (int i = 0; i < unit.length; i++) {
      long t0 = System.nanoTime();
      spin(1);
      unit[i] = System.nanoTime() - t0;
    }
    Arrays.sort(unit);
    double unitNanos = Math.max(1, unit[unit.length / 2]);
    int units = (int) Math.max(1, Math.min(100_000, Math.round(sectionNanos / unitNanos)));
    SplittableRandom order = new SplittableRandom(seed);
    double[] out = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long caseNanos;
      long calibrationNanos;
      if (order.nextBoolean()) {
        long t0 = System.nanoTime();
        section.run();
        long t1 = System.nanoTime();
        spin(units);
        long t2 = System.nanoTime();
        caseNanos = t1 - t0;
        calibrationNanos = t2 - t1;
      } else {
        long t0 = System.nanoTime();
        spin(units);
        long t1 = System.nanoTime();
        section.run();
        long t2 = System.nanoTime();
        calibrationNanos = t1 - t0;
        caseNanos = t2 - t1;
      }
      out[r] = Math.max(1, caseNanos) / (Math.max(1, calibrationNanos) / (double) units);
    }
    return out;
  }
}
