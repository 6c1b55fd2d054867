package io.github.perfkit.core.internal;

import java.util.Arrays;

/**
 * Detects when a series of timings has settled (the JIT has compiled the code, caches are warm).
 * The series so far is cut into thirds; the oldest third is taken as warm-up, and the series is
 * steady when the medians of the middle and the last third agree: within {@code tolerance} of the
 * smaller, or, on a noisy machine, within three standard errors of their difference (the noise
 * estimated from the differences of successive samples, so a steady trend is not taken for noise).
 * The windows grow with the series, so a slow
 * drift (code getting faster over seconds) is seen as well as a step, and a series still moving
 * by more than the tolerance never counts as steady.
 *
 * <p>Memory is bounded: past {@value #CAPACITY} values, neighbouring values are averaged in pairs
 * (the windows keep covering the whole series). Not thread-safe; cost per sample: amortized a sort
 * of 1/16 of the kept values every 1/16 of the series.
 */
public final class SteadyState {

  /** The fewest samples per window. */
  public static final int MIN_WINDOW = 5;
  /** Relative agreement of the window medians that always counts as steady, by default 3%. */
  public static final double DEFAULT_TOLERANCE = 0.03;
  /** The most values kept; beyond, pairs are averaged. */
  static final int CAPACITY = 3 * 1024;

  private final double tolerance;
  private final double[] values = new double[CAPACITY];
  private int size;
  private int bucket = 1;
  private double pendingSum;
  private int pendingCount;
  private long count;
  private int sinceCheck;
  private boolean steady;

  /** @param tolerance relative difference of the medians that counts as steady, in [0, 1) */
  public SteadyState(double tolerance) {
    if (!(tolerance >= 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance must be in [0, 1) but was " + tolerance);
    }
    this.tolerance = tolerance;
  }

  /** @return a detector with the default tolerance */
  public static SteadyState defaults() {
    return new SteadyState(DEFAULT_TOLERANCE);
  }

  /** @return the fewest samples after which {@link #add} can answer true */
  public int minSamples() {
    return 3 * MIN_WINDOW;
  }

  /**
   * Adds one sample (a time; NaN or negative values are ignored).
   *
   * @param sample the newest timing
   * @return whether the series was steady at the latest check (checks happen every 1/16 of the
   *     series, at least every sample early on)
   */
  public boolean add(double sample) {
    if (!(sample >= 0)) {
      return steady;
    }
    count++;
    pendingSum += sample;
    if (++pendingCount < bucket) {
      return steady;
    }
    if (size == CAPACITY) {
      for (int i = 0; i < CAPACITY / 2; i++) {
        values[i] = (values[2 * i] + values[2 * i + 1]) / 2;
      }
      size = CAPACITY / 2;
      bucket *= 2;
    }
    values[size++] = pendingSum / pendingCount;
    pendingSum = 0;
    pendingCount = 0;
    if (size >= 3 * MIN_WINDOW && ++sinceCheck >= Math.max(1, size / 16)) {
      sinceCheck = 0;
      steady = check();
    }
    return steady;
  }

  /** @return samples added */
  public long count() {
    return count;
  }

  /** @return whether the series was steady at the latest check */
  public boolean isSteady() {
    return steady;
  }

  /**
   * Checks now rather than at the next scheduled check (one sort of the kept values).
   *
   * @return whether the series is steady
   */
  public boolean steadyNow() {
    steady = size >= 3 * MIN_WINDOW && check();
    sinceCheck = 0;
    return steady;
  }

  private boolean check() {
    int k = size / 3;
    double[] middle = Arrays.copyOfRange(values, size - 2 * k, size - k);
    double[] last = Arrays.copyOfRange(values, size - k, size);
    Arrays.sort(middle);
    Arrays.sort(last);
    double m1 = Stats.quantile(middle, 0.5);
    double m2 = Stats.quantile(last, 0.5);
    double difference = Math.abs(m2 - m1);
    if (difference <= tolerance * Math.min(m1, m2)) {
      return true;
    }
    // the noise, from successive differences in time order: deviations around each window's
    // median would count a steady trend as noise (a ramp of 1 ms per run over windows of 5 passed
    // as settled), while a difference of neighbours sees only the step of the trend
    double[] steps = new double[2 * k - 1];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = Math.abs(values[size - 2 * k + i + 1] - values[size - 2 * k + i]);
    }
    Arrays.sort(steps);
    double sigma = 1.4826 * Stats.quantile(steps, 0.5) / Math.sqrt(2);
    double standardErrorOfDifference = Math.sqrt(2) * 1.2533 * sigma / Math.sqrt(k);
    return difference <= 3 * standardErrorOfDifference;
  }

  /**
   * Feeds a whole series (for tests and tools).
   *
   * @param series timings in order
   * @param floor the fewest samples before steadiness may be declared, {@code >= 0}
   * @return the number of samples after which the series was steady (confirmed by
   *     {@link #steadyNow()}), or -1 if it never was
   */
  public int settlesAfter(double[] series, int floor) {
    for (int i = 0; i < series.length; i++) {
      if (add(series[i]) && i + 1 >= floor && steadyNow()) {
        return i + 1;
      }
    }
    return -1;
  }
}
