package io.github.perfkit.junit;

import io.github.perfkit.core.Baseline;
import io.github.perfkit.core.CheckedRunnable;
import io.github.perfkit.core.internal.Format;
import io.github.perfkit.core.internal.Json;
import io.github.perfkit.core.internal.Require;
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
 * @param warmup how the warm-up ended, or null when unknown (a measurement made by hand)
 */
public record SectionMeasurement(String name, List<Long> runNanos, List<Long> runAllocatedBytes,
    Warmup warmup) {

  /** The most time the adaptive warm-up waits for the timings to settle by default: 5 s. */
  public static final Duration DEFAULT_WARMUP_LIMIT =
      Duration.ofNanos(io.github.perfkit.core.internal.Warmup.DEFAULT_LIMIT_NANOS);

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
   * A measurement without warm-up figures (the constructor before adaptive warm-up).
   *
   * @param name names the section
   * @param runNanos wall time of each measured run
   * @param runAllocatedBytes bytes allocated by each run
   */
  public SectionMeasurement(String name, List<Long> runNanos, List<Long> runAllocatedBytes) {
    this(name, runNanos, runAllocatedBytes, null);
  }

  /**
   * How the adaptive warm-up ended. Immutable.
   *
   * @param runs unmeasured runs
   * @param nanos time they took
   * @param settled whether the run times had settled; false when the limit was hit first
   * @param limitNanos the limit it had
   */
  public record Warmup(int runs, long nanos, boolean settled, long limitNanos) {

    /** @return whether the warm-up stopped at its limit without the timings settling */
    public boolean limitHit() {
      return !settled;
    }

    /** @return one sentence, e.g. {@code warm-up: 40 rounds in 212 ms, timings settled} */
    public String text() {
      return new io.github.perfkit.core.internal.Warmup.Outcome(runs, nanos, settled, limitNanos)
          .text().replace(" rounds", " runs");
    }
  }

  /**
   * Runs a section at least {@code warmup} times unmeasured and until its run times have settled
   * (at most {@link #DEFAULT_WARMUP_LIMIT} once those runs are done), then {@code runs} times
   * measured.
   *
   * @param name the section's name
   * @param warmup the fewest unmeasured runs, {@code >= 0}
   * @param runs measured runs, 1 to 100,000
   * @param section the code; an exception fails the measurement and passes through
   * @param <E> what the section may throw
   * @return the measurement
   * @throws E whatever the section throws
   */
  public static <E extends Exception> SectionMeasurement measure(String name, int warmup, int runs,
      CheckedRunnable<E> section) throws E {
    return measure(name, warmup, DEFAULT_WARMUP_LIMIT, runs, section);
  }

  /**
   * Runs a section unmeasured until its run times have settled, then {@code runs} times measured.
   * Warm-up lasts at least {@code warmup} runs, then goes on until the medians of the middle and
   * the last third of the warm-up runs agree (within 3%, or within the noise when the times are
   * noisy but not trending), but no longer than {@code warmupLimit}; {@link #warmup()} says
   * whether the limit was hit.
   *
   * @param name the section's name
   * @param warmup the fewest unmeasured runs, {@code >= 0}
   * @param warmupLimit the most time warm-up goes on after those runs, {@code >= 0} (zero: exactly
   *     {@code warmup} runs)
   * @param runs measured runs, 1 to 100,000
   * @param section the code; an exception fails the measurement and passes through
   * @param <E> what the section may throw
   * @return the measurement
   * @throws E whatever the section throws
   */
  public static <E extends Exception> SectionMeasurement measure(String name, int warmup,
      Duration warmupLimit, int runs, CheckedRunnable<E> section) throws E {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(section, "section");
    if (warmup < 0) {
      throw new IllegalArgumentException("warmup must be >= 0 but was " + warmup);
    }
    Require.nonNegative(warmupLimit, "warmupLimit");
    if (runs < 1 || runs > 100_000) {
      throw new IllegalArgumentException("runs must be between 1 and 100000 but was " + runs);
    }
    io.github.perfkit.core.internal.Warmup.Outcome warm = io.github.perfkit.core.internal.Warmup
        .run(System::nanoTime, io.github.perfkit.core.internal.Warmup::jitMillis, 1, warmup, 0,
            warmupLimit.toNanos(), times -> {
          long t0 = System.nanoTime();
          section.run();
          times[0] = System.nanoTime() - t0;
        });
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
    return new SectionMeasurement(name, nanos, bytes,
        new Warmup(warm.rounds(), warm.nanos(), warm.settled(), warm.limitNanos()));
  }

  /** @return measured runs */
  public int runs() {
    return runNanos.size();
  }

  /**
   * The run time at or below which {@code percentile} percent of the runs fall, on the same 0-100
   * scale as {@link io.github.perfkit.core.LatencySnapshot#percentile(double)}.
   *
   * <p>Estimator: nearest rank on the exact run times, the smallest run time {@code t} such that at
   * least {@code percentile}% of the runs took {@code t} or less (rank {@code ceil(p / 100 * runs)},
   * at least 1). It never interpolates, so the answer is always one of the measured runs; this is
   * the rule HdrHistogram's {@code getValueAtPercentile} applies to its buckets, without the
   * bucket rounding.
   *
   * @param percentile from 0 to 100, e.g. {@code 99.9}; 0 is the fastest run, 100 the slowest
   * @return the run time
   * @throws IllegalArgumentException if {@code percentile} is outside [0, 100] or NaN
   */
  public Duration percentile(double percentile) {
    Require.inRange(percentile, 0, 100, "percentile");
    long[] sorted = runNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int rank = (int) Math.ceil(percentile / 100 * sorted.length);
    return Duration.ofNanos(sorted[Math.max(0, rank - 1)]);
  }

  /** @return the median run time ({@link #percentile(double) percentile(50)}) */
  public Duration p50() {
    return percentile(50);
  }

  /** @return the 95th percentile run time */
  public Duration p95() {
    return percentile(95);
  }

  /** @return the 99th percentile run time */
  public Duration p99() {
    return percentile(99);
  }

  /** @return the slowest run */
  public Duration max() {
    return percentile(100);
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

  /**
   * @return one line for logs and assertion messages, e.g. {@code 30 runs: p50 1.02 ms, p95 1.31 ms,
   *     p99 1.40 ms, max 1.40 ms, 2.0 KiB allocated per run (median)}
   */
  public String text() {
    long bytes = medianAllocatedBytes();
    return runs() + " runs: p50 " + Format.duration(p50().toNanos()) + ", p95 "
        + Format.duration(p95().toNanos()) + ", p99 " + Format.duration(p99().toNanos())
        + ", max " + Format.duration(max().toNanos()) + ", "
        + (bytes < 0 ? "allocation n/a" : Format.bytes(bytes) + " allocated per run (median)")
        + (warmup == null ? "" : "; " + warmup.text());
  }

  /** @return the same figures as {@link #text()}: a heading and a one-row Markdown table */
  public String markdown() {
    long bytes = medianAllocatedBytes();
    return "## Section `" + name.replace("`", "'") + "`\n\n"
        + "| runs | p50 | p95 | p99 | max | allocated per run (median) |\n"
        + "|---:|---:|---:|---:|---:|---:|\n"
        + "| " + runs() + " | " + Format.duration(p50().toNanos()) + " | "
        + Format.duration(p95().toNanos()) + " | " + Format.duration(p99().toNanos()) + " | "
        + Format.duration(max().toNanos()) + " | " + (bytes < 0 ? "n/a" : Format.bytes(bytes))
        + " |\n" + (warmup == null ? "" : "\n" + (warmup.settled() ? "" : "**") + warmup.text()
            + (warmup.settled() ? "" : "**") + "\n");
  }

  /**
   * @return JSON, schema {@code perfkit.section/1}: {@code name}, {@code runs}, {@code p50Nanos},
   *     {@code p95Nanos}, {@code p99Nanos}, {@code maxNanos}, {@code medianAllocatedBytes} (-1
   *     when unknown), every run's {@code runNanos} and, when known, {@code warmup}:
   *     {@code runs}, {@code nanos}, {@code settled}, {@code limitHit}, {@code limitNanos}
   */
  public String json() {
    Json json = new Json().beginObject().field("schema", "perfkit.section/1").field("name", name)
        .field("runs", runs()).field("p50Nanos", p50().toNanos())
        .field("p95Nanos", p95().toNanos()).field("p99Nanos", p99().toNanos())
        .field("maxNanos", max().toNanos()).field("medianAllocatedBytes", medianAllocatedBytes())
        .beginArray("runNanos");
    for (long n : runNanos) {
      json.rawElement(Long.toString(n));
    }
    json.endArray();
    if (warmup != null) {
      json.raw("warmup", new Json().beginObject().field("runs", warmup.runs())
          .field("nanos", warmup.nanos()).field("settled", warmup.settled())
          .field("limitHit", warmup.limitHit()).field("limitNanos", warmup.limitNanos())
          .endObject().toString());
    }
    return json.endObject().toString();
  }

  @Override
  public String toString() {
    return "SectionMeasurement[" + name + ", " + text() + "]";
  }
}
