package io.github.perfkit.junit;

import io.github.perfkit.core.Baseline;
import io.github.perfkit.core.CheckedRunnable;
import io.github.perfkit.core.Reports;
import io.github.perfkit.core.internal.ThreadMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A section of code run several times on the calling thread: the time and the bytes allocated by
 * each run. Immutable.
 *
 * <p>Allocation is read from the JVM's per-thread counter ({@code com.sun.management.ThreadMXBean});
 * it counts the calling thread only, and is -1 where the JVM cannot tell.
 *
 * @param name names the section in messages and baselines
 * @param runNanos wall time of each measured run, in order
 * @param runAllocatedBytes bytes allocated by each run, in order (-1 each when unknown)
 */
public record SectionMeasurement(String name, List<Long> runNanos, List<Long> runAllocatedBytes) {

  /** Validates and copies. */
  public SectionMeasurement {
    Objects.requireNonNull(name, "name");
    runNanos = List.copyOf(runNanos);
    runAllocatedBytes = List.copyOf(runAllocatedBytes);
    if (runNanos.isEmpty()) {
      throw new IllegalArgumentException("runNanos must not be empty");
    }
  }

  /**
   * Runs a section {@code warmup} times unmeasured, then {@code runs} times measured.
   *
   * @param name the section's name
   * @param warmup unmeasured runs, {@code >= 0}
   * @param runs measured runs, 1 to 100,000
   * @param section the code; an exception fails the measurement and passes through
   * @param <E> what the section may throw
   * @return the measurement
   * @throws E whatever the section throws
   */
  public static <E extends Exception> SectionMeasurement measure(String name, int warmup, int runs,
      CheckedRunnable<E> section) throws E {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(section, "section");
    if (warmup < 0) {
      throw new IllegalArgumentException("warmup must be >= 0 but was " + warmup);
    }
    if (runs < 1 || runs > 100_000) {
      throw new IllegalArgumentException("runs must be between 1 and 100000 but was " + runs);
    }
    for (int i = 0; i < warmup; i++) {
      section.run();
    }
    List<Long> nanos = new ArrayList<>(runs);
    List<Long> bytes = new ArrayList<>(runs);
    boolean allocation = ThreadMeters.allocationSupported();
    for (int i = 0; i < runs; i++) {
      long b0 = ThreadMeters.allocatedBytes();
      long t0 = System.nanoTime();
      section.run();
      long t1 = System.nanoTime();
      long b1 = ThreadMeters.allocatedBytes();
      nanos.add(t1 - t0);
      bytes.add(allocation ? b1 - b0 : -1);
    }
    return new SectionMeasurement(name, nanos, bytes);
  }

  /** @return measured runs */
  public int runs() {
    return runNanos.size();
  }

  /**
   * @param q a quantile in [0, 1]
   * @return the run time at that quantile (nearest rank)
   */
  public Duration quantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in [0, 1] but was " + q);
    }
    long[] sorted = runNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int rank = (int) Math.ceil(q * sorted.length);
    return Duration.ofNanos(sorted[Math.max(0, rank - 1)]);
  }

  /** @return the median run time */
  public Duration p50() {
    return quantile(0.5);
  }

  /** @return the 95th percentile run time */
  public Duration p95() {
    return quantile(0.95);
  }

  /** @return the 99th percentile run time */
  public Duration p99() {
    return quantile(0.99);
  }

  /** @return the slowest run */
  public Duration max() {
    return quantile(1);
  }

  /** @return the median bytes allocated per run, or -1 when unknown */
  public long medianAllocatedBytes() {
    long[] sorted = runAllocatedBytes.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted.length == 0 ? -1 : sorted[sorted.length / 2];
  }

  /** @return the runs as a baseline measurement in {@code ns/run}, lower is better */
  public Baseline.Measurement toMeasurement() {
    return Baseline.Measurement.ofSamples(name, "ns/run", false,
        runNanos.stream().mapToDouble(Long::doubleValue).toArray());
  }

  /** @return e.g. {@code 30 runs: p50 1.02 ms, p95 1.31 ms, p99 1.40 ms, max 1.40 ms, 2.0 KiB/run} */
  public String summary() {
    long bytes = medianAllocatedBytes();
    return runs() + " runs: p50 " + Reports.duration(p50().toNanos()) + ", p95 "
        + Reports.duration(p95().toNanos()) + ", p99 " + Reports.duration(p99().toNanos())
        + ", max " + Reports.duration(max().toNanos()) + ", "
        + (bytes < 0 ? "allocation n/a" : Reports.bytes(bytes) + " allocated per run (median)");
  }

  @Override
  public String toString() {
    return "SectionMeasurement[" + name + ", " + summary() + "]";
  }
}
