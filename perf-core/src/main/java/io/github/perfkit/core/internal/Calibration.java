package io.github.perfkit.core.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fixed CPU workload to measure next to a section, so that a machine that got slower as a whole
 * (load from other processes, a lower CPU frequency) is not read as a regression: the section's time
 * divided by the calibration's, measured interleaved in the same JVM, stays put when both slow down
 * together. The workload is a register-only xorshift loop (no memory traffic, no allocation), so it
 * tracks CPU speed and share, not caches. Stateless and thread-safe; each unit costs
 * {@value #UNIT_ITERATIONS} loop iterations (some tens of microseconds). A calibrated measurement
 * spans {@value #BLOCKS} blocks of at least 250 ms each (about two seconds) and is judged on the
 * median of its block medians ({@link #shift}).
 */
public final class Calibration {

  /** Loop iterations per unit. */
  public static final int UNIT_ITERATIONS = 1 << 14;

  /**
   * Blocks a calibrated measurement is made of. On a shared or virtual machine the ratio
   * section/loop moves in stretches of a second or so (another tenant on the core's sibling
   * hyperthread slows branchy code more than the register-only loop): one stretch read 25% off
   * the rest. A measurement therefore spans {@value} blocks of at least {@link #BLOCK_NANOS} each,
   * and the verdict takes the median of the block medians, which such stretches do not move.
   */
  public static final int BLOCKS = 8;

  /** The least wall time of one block: {@value} ns. */
  public static final long BLOCK_NANOS = 250_000_000L;

  /** The fewest rounds of one block, whatever the section's length. */
  public static final int MIN_BLOCK_ROUNDS = 3;

  /**
   * Rounds per block for a section of this length: enough for {@link #BLOCK_NANOS} of section
   * and loop, at least {@value #MIN_BLOCK_ROUNDS}, at most 1,000.
   *
   * @param sectionNanos about how long one run of the section takes
   * @return rounds per block
   */
  public static int roundsPerBlock(double sectionNanos) {
    double perRound = Math.max(1, 2 * sectionNanos);
    return (int) Math.max(MIN_BLOCK_ROUNDS, Math.min(1_000, Math.ceil(BLOCK_NANOS / perRound)));
  }

  /**
   * How a calibrated measurement compares with a baseline's.
   *
   * @param change median of the current block medians over the baseline's (above 1: slower)
   * @param band the noise band as a fraction: a change within {@code 1 + band} either way is
   *     within what two measurements of unchanged code differ by (two standard deviations of the
   *     difference of the two medians, from the median absolute deviation of the blocks)
   * @param blocksBefore block medians on the baseline's side
   * @param blocksNow block medians on the current side
   */
  public record Shift(double change, double band, int blocksBefore, int blocksNow) {

    /**
     * @param tolerance the allowed slowdown (0.10: 10%)
     * @return whether it is slower beyond both the tolerance and the noise band
     */
    public boolean regressed(double tolerance) {
      return change > 1 + tolerance && change > 1 + band;
    }

    /**
     * @param tolerance the allowed slowdown
     * @return whether it is over the tolerance but within the noise: more measuring may tell
     */
    public boolean unclear(double tolerance) {
      return change > 1 + tolerance && !regressed(tolerance);
    }

    /** @return e.g. {@code +12.3% (median of 8 block medians against 8; noise band 4.1%)} */
    public String text() {
      return String.format(java.util.Locale.ROOT, "%+.1f%% (median of %d block medians against"
          + " the baseline's %d; noise band %.1f%%)", (change - 1) * 100, blocksNow, blocksBefore,
          band * 100);
    }
  }

  /**
   * Compares calibrated ratios, each side split into consecutive blocks.
   *
   * @param before the baseline's ratios, in the order measured
   * @param blocksBefore how many blocks they were measured in ({@code >= 1})
   * @param now the current ratios, in the order measured
   * @param blocksNow how many blocks
   * @return the shift
   */
  public static Shift shift(double[] before, int blocksBefore, double[] now, int blocksNow) {
    return shift(before, blocksBefore, now, blocksNow, Double.NaN);
  }

  /**
   * Compares calibrated ratios against a reference level other than the median of the baseline's
   * block medians (the median over the JVMs that recorded it); the noise band is the same.
   *
   * @param before the baseline's ratios, in the order measured
   * @param blocksBefore how many blocks they were measured in ({@code >= 1})
   * @param now the current ratios, in the order measured
   * @param blocksNow how many blocks
   * @param reference the baseline's level, or NaN for the median of its block medians
   * @return the shift
   */
  public static Shift shift(double[] before, int blocksBefore, double[] now, int blocksNow,
      double reference) {
    double[] b = Stats.blockMedians(before, blocksBefore);
    double[] n = Stats.blockMedians(now, blocksNow);
    double mb = Stats.median(b);
    double mn = Stats.median(n);
    double level = reference > 0 ? reference : mb;
    // robust spread of one block median (log scale), pooled over both sides
    double[] dev = new double[b.length + n.length];
    for (int i = 0; i < b.length; i++) {
      dev[i] = Math.abs(Math.log(b[i] / mb));
    }
    for (int i = 0; i < n.length; i++) {
      dev[b.length + i] = Math.abs(Math.log(n[i] / mn));
    }
    double sd = 1.4826 * Stats.median(dev);
    // the median of k values has about 1.25 sd / sqrt(k); the difference of two such medians
    double sdDiff = 1.25 * sd * Math.sqrt(1.0 / b.length + 1.0 / n.length);
    return new Shift(mn / level, Math.exp(2 * sdDiff) - 1, b.length, n.length);
  }

  /**
   * @param ratios calibrated ratios in the order measured
   * @param blocks how many blocks they were measured in
   * @return the median of their block medians
   */
  public static double level(double[] ratios, int blocks) {
    return Stats.median(Stats.blockMedians(ratios, blocks));
  }

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
