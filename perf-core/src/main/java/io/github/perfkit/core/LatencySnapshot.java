package io.github.perfkit.core;

import io.github.perfkit.core.internal.LatencyTable;
import io.github.perfkit.core.internal.Require;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * An immutable view of the durations a {@link LatencyRecorder} saw: count, failures, mean, min, max
 * and any percentile. Obtained from {@link LatencyRecorder#snapshot()} or
 * {@link LatencyRecorder#intervalSnapshot()}; two snapshots {@link #merge(LatencySnapshot) merge} into
 * one equal to having recorded everything in one recorder.
 *
 * <p>Percentiles are on perfkit's one scale, 0 to 100 ({@code percentile(99.9)}), as HdrHistogram's
 * and Micrometer's. They are computed in-process from the full histogram (client-side percentiles)
 * with HdrHistogram's {@code getValueAtPercentile}: the nearest rank (the smallest recorded value
 * with at least that percentage of the values at or below it, no interpolation), reported as the
 * highest value of its bucket, so within the recorder's precision (1% by default) of the exact
 * value. Thread-safe (immutable).
 *
 * <p>A snapshot renders itself as {@link #text()} (a table row for logs), {@link #markdown()} and
 * {@link #json()}; several recorders in one table are a {@link PerfReport} section
 * ({@code PerfReport.Builder.add(title, snapshots)}). The JSON schema, {@code perfkit.latency/1}
 * (durations in integer nanoseconds; a later version adds fields and never changes the meaning of
 * existing ones):
 * <pre>
 * { "schema": "perfkit.latency/1",
 *   "recorders": [ { "name": string, "count": long, "failures": long, "totalNanos": long,
 *                    "meanNanos": long, "minNanos": long, "maxNanos": long, "p50Nanos": long,
 *                    "p90Nanos": long, "p95Nanos": long, "p99Nanos": long, "p999Nanos": long } ] }
 * </pre>
 */
public final class LatencySnapshot {

  private final String name;
  private final Histogram histogram; // never mutated after construction
  private final long failureCount;
  private final long totalNanos;

  /**
   * For perfkit's own implementation; users obtain snapshots from a recorder.
   *
   * @param name the recorder's name
   * @param histogram a private copy that this snapshot owns
   * @param failureCount how many of the recorded operations failed
   * @param totalNanos the exact sum of the recorded durations
   */
  LatencySnapshot(String name, Histogram histogram, long failureCount, long totalNanos) {
    this.name = name;
    this.histogram = histogram;
    this.failureCount = failureCount;
    this.totalNanos = totalNanos;
  }

  static LatencySnapshot of(String name, Histogram histogram, long failureCount, long totalNanos) {
    return new LatencySnapshot(name, histogram, failureCount, totalNanos);
  }

  /**
   * An empty snapshot.
   *
   * @param name the name to carry
   * @return a snapshot with count 0
   */
  public static LatencySnapshot empty(String name) {
    return new LatencySnapshot(LatencyRecorder.checkName(name), new Histogram(2), 0, 0);
  }

  /** @return the recorder's name */
  public String name() {
    return name;
  }

  /** @return how many durations were recorded, successes and failures together */
  public long count() {
    return histogram.getTotalCount();
  }

  /** @return how many of the recorded operations failed */
  public long failureCount() {
    return failureCount;
  }

  /** @return the exact sum of all recorded durations, in nanoseconds */
  public long totalNanos() {
    return totalNanos;
  }

  /** @return the exact sum of all recorded durations */
  public Duration total() {
    return Duration.ofNanos(totalNanos);
  }

  /** @return the mean duration (exact sum divided by count), zero when nothing was recorded */
  public Duration mean() {
    long count = count();
    return count == 0 ? Duration.ZERO : Duration.ofNanos(Math.round((double) totalNanos / count));
  }

  /** @return the smallest recorded duration, within the recorder's precision; zero when empty */
  public Duration min() {
    return count() == 0 ? Duration.ZERO : Duration.ofNanos(histogram.getMinValue());
  }

  /** @return the largest recorded duration, within the recorder's precision; zero when empty */
  public Duration max() {
    return count() == 0 ? Duration.ZERO : Duration.ofNanos(histogram.getMaxValue());
  }

  /**
   * The duration at or below which {@code percentile} percent of the recorded durations fall
   * (HdrHistogram's nearest-rank estimator; see the class documentation).
   *
   * @param percentile from 0 to 100, e.g. {@code 99.9}
   * @return the duration; zero when nothing was recorded
   * @throws IllegalArgumentException if {@code percentile} is outside [0, 100] or NaN
   */
  public Duration percentile(double percentile) {
    Require.inRange(percentile, 0, 100, "percentile");
    return count() == 0 ? Duration.ZERO : Duration.ofNanos(histogram.getValueAtPercentile(percentile));
  }

  /** @return the median */
  public Duration p50() {
    return percentile(50);
  }

  /** @return the 90th percentile */
  public Duration p90() {
    return percentile(90);
  }

  /** @return the 95th percentile */
  public Duration p95() {
    return percentile(95);
  }

  /** @return the 99th percentile */
  public Duration p99() {
    return percentile(99);
  }

  /** @return the 99.9th percentile */
  public Duration p999() {
    return percentile(99.9);
  }

  /**
   * Combines this snapshot with another, as if one recorder had seen both.
   *
   * @param other the other snapshot
   * @return a new snapshot named after this one
   * @throws NullPointerException if {@code other} is null
   */
  public LatencySnapshot merge(LatencySnapshot other) {
    Objects.requireNonNull(other, "other");
    Histogram merged = histogram.copy();
    merged.add(other.histogram);
    return new LatencySnapshot(name, merged, failureCount + other.failureCount,
        totalNanos + other.totalNanos);
  }

  /**
   * How many recorded durations were at or below {@code nanos} (within the recorder's precision).
   *
   * @param nanos the bound in nanoseconds
   * @return the count
   */
  public long countAtOrBelow(long nanos) {
    if (nanos < 0 || count() == 0) {
      return 0;
    }
    return histogram.getCountBetweenValues(0, Math.min(nanos, histogram.getHighestTrackableValue()));
  }

  /**
   * A copy of the underlying histogram, for callers that need HdrHistogram's own API (bucket
   * iteration, encoding).
   *
   * @return a copy the caller owns
   */
  public Histogram histogram() {
    return histogram.copy();
  }

  /**
   * @return a plain-text table for logs: a header and this recorder's row (count, failures, mean,
   *     p50, p90, p95, p99, p99.9, max), ending with a newline
   */
  public String text() {
    return LatencyTable.text(List.of(this));
  }

  /** @return the same figures as {@link #text()}, as a Markdown table */
  public String markdown() {
    return LatencyTable.markdown(List.of(this));
  }

  /** @return JSON, schema {@code perfkit.latency/1} (see the class documentation), one recorder */
  public String json() {
    return LatencyTable.json(List.of(this));
  }

  @Override
  public String toString() {
    return name + "[count=" + count() + ", failures=" + failureCount + ", mean=" + mean()
        + ", p50=" + p50() + ", p99=" + p99() + ", max=" + max() + "]";
  }
}
