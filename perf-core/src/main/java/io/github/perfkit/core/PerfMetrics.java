package io.github.perfkit.core;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Publishes {@link LatencyRecorder}s and {@link StageBreakdown}s to a Micrometer {@link MeterRegistry}.
 * Micrometer <em>reads</em> perfkit's histogram when the registry publishes: recording stays one
 * record into perfkit, never a second record into a Micrometer timer.
 *
 * <pre>{@code
 * LatencyRecorder fetch = LatencyRecorder.create("fetch");
 * PerfMetrics.forRecorder(fetch).tags("service", "search").build().bindTo(registry);
 * // perfkit.latency{name="fetch",service="search"} count/total, .max, .percentile{phi=...}
 * }</pre>
 *
 * <h2>Meters</h2>
 * For a recorder (base name {@code perfkit.latency}, tag {@code name}) or a breakdown stage (base name
 * {@code perfkit.stage}, tags {@code breakdown} and {@code stage}):
 * <ul>
 *   <li>{@code <base>}: a function timer (count and total time) over the recorder's lifetime;
 *   <li>{@code <base>.max}: the largest duration seen (lifetime);
 *   <li>{@code <base>.failures}: a counter of failed operations;
 *   <li>{@code <base>.percentile} with tag {@code phi} (0.5, 0.9, 0.95, 0.99, 0.999 by default):
 *       <b>client-side percentiles</b>, computed in this process over the recorder's lifetime. They
 *       cannot be averaged across instances;
 *   <li>optionally ({@link Builder#publishHistogram(boolean)}) {@code <base>.histogram} with tag
 *       {@code le} (seconds): cumulative counts of durations at or below each bucket boundary,
 *       1 µs to 60 s in 1-2-5 steps. These <b>aggregate across instances</b> (sum the counts, then
 *       compute quantiles in the monitoring system).
 * </ul>
 * Tags carry names only: never keys, ids or URLs. Binders hold what they measure through a weak
 * reference, so binding never keeps a recorder alive; a collected recorder reads as zero/NaN.
 *
 * <p>Thread-safe. A publish reads one snapshot per recorder and reuses it for one second, so a scrape
 * of many meters copies the histogram once.
 */
public final class PerfMetrics {

  private static final double[] DEFAULT_PERCENTILES = {0.5, 0.9, 0.95, 0.99, 0.999};
  private static final long[] HISTOGRAM_BOUNDS_NANOS = histogramBounds();

  private PerfMetrics() {}

  /**
   * Starts a binder for one recorder, published as {@code perfkit.latency{name=<recorder name>}}.
   *
   * @param recorder the recorder
   * @return a builder
   * @throws NullPointerException if {@code recorder} is null
   */
  public static Builder forRecorder(LatencyRecorder recorder) {
    Objects.requireNonNull(recorder, "recorder");
    return new Builder(recorder, null);
  }

  /**
   * Starts a binder for a breakdown: every stage, including stages first seen after binding, is
   * published as {@code perfkit.stage{breakdown=<name>,stage=<path>}}.
   *
   * @param breakdown the breakdown
   * @return a builder
   * @throws NullPointerException if {@code breakdown} is null
   */
  public static Builder forBreakdown(StageBreakdown breakdown) {
    Objects.requireNonNull(breakdown, "breakdown");
    return new Builder(null, breakdown);
  }

  /** Settings of a binder. Not thread-safe; {@link #build()} copies. */
  public static final class Builder {
    private final LatencyRecorder recorder;
    private final StageBreakdown breakdown;
    private Tags tags = Tags.empty();
    private double[] percentiles = DEFAULT_PERCENTILES.clone();
    private boolean histogram;

    private Builder(LatencyRecorder recorder, StageBreakdown breakdown) {
      this.recorder = recorder;
      this.breakdown = breakdown;
    }

    /**
     * Extra tags on every meter, as key-value pairs.
     *
     * @param keyValues an even number of strings
     * @return this builder
     * @throws IllegalArgumentException if the count is odd
     */
    public Builder tags(String... keyValues) {
      Objects.requireNonNull(keyValues, "keyValues");
      if (keyValues.length % 2 != 0) {
        throw new IllegalArgumentException("keyValues must come in pairs but had "
            + keyValues.length + " elements");
      }
      this.tags = this.tags.and(Tags.of(keyValues));
      return this;
    }

    /**
     * Extra tags on every meter.
     *
     * @param tags the tags
     * @return this builder
     */
    public Builder tags(Iterable<Tag> tags) {
      Objects.requireNonNull(tags, "tags");
      this.tags = this.tags.and(tags);
      return this;
    }

    /**
     * The client-side percentiles to publish (default 0.5, 0.9, 0.95, 0.99, 0.999); none to publish
     * none.
     *
     * @param percentiles values in (0, 1)
     * @return this builder
     * @throws IllegalArgumentException if a value is outside (0, 1)
     */
    public Builder percentiles(double... percentiles) {
      Objects.requireNonNull(percentiles, "percentiles");
      for (double p : percentiles) {
        if (!(p > 0 && p < 1)) {
          throw new IllegalArgumentException("percentiles must be in (0, 1) but contained " + p);
        }
      }
      this.percentiles = percentiles.clone();
      return this;
    }

    /**
     * Whether to publish the aggregable histogram ({@code <base>.histogram{le}}); default false.
     *
     * @param publish true to publish it
     * @return this builder
     */
    public Builder publishHistogram(boolean publish) {
      this.histogram = publish;
      return this;
    }

    /**
     * Creates the binder.
     *
     * @return a binder to call {@link MeterBinder#bindTo(MeterRegistry)} on
     */
    public MeterBinder build() {
      Tags fixedTags = tags;
      double[] fixedPercentiles = percentiles.clone();
      boolean fixedHistogram = histogram;
      if (recorder != null) {
        LatencyRecorder r = recorder;
        return registry -> bindRecorder(registry, r, "perfkit.latency",
            fixedTags.and("name", r.name()), fixedPercentiles, fixedHistogram);
      }
      StageBreakdown b = breakdown;
      return registry -> b.addListener((path, stageRecorder) -> bindRecorder(registry,
          stageRecorder, "perfkit.stage", fixedTags.and("breakdown", b.name()).and("stage", path),
          fixedPercentiles, fixedHistogram));
    }
  }

  private static void bindRecorder(MeterRegistry registry, LatencyRecorder recorder, String base,
      Tags tags, double[] percentiles, boolean histogram) {
    Objects.requireNonNull(registry, "registry");
    // Micrometer holds a meter's state object weakly: the state is the recorder itself, so a dropped
    // recorder can be collected; the snapshot cache travels in the (strongly held) functions.
    SnapshotCache cache = new SnapshotCache(recorder);
    FunctionTimer.builder(base, recorder, r -> cache.read(LatencySnapshot::count),
            r -> cache.readDouble(s -> (double) s.totalNanos()), TimeUnit.NANOSECONDS)
        .tags(tags).description("Durations recorded by perfkit").register(registry);
    TimeGauge.builder(base + ".max", recorder, TimeUnit.NANOSECONDS,
            r -> cache.readDouble(s -> (double) s.max().toNanos()))
        .tags(tags).description("Largest duration recorded").register(registry);
    FunctionCounter.builder(base + ".failures", recorder,
            r -> cache.read(LatencySnapshot::failureCount))
        .tags(tags).description("Operations that failed").register(registry);
    for (double p : percentiles) {
      TimeGauge.builder(base + ".percentile", recorder, TimeUnit.NANOSECONDS,
              r -> cache.readDouble(s -> (double) s.percentile(p * 100).toNanos()))
          .tags(tags.and("phi", format(p)))
          .description("Client-side percentile over the recorder's lifetime").register(registry);
    }
    if (histogram) {
      for (long bound : HISTOGRAM_BOUNDS_NANOS) {
        FunctionCounter.builder(base + ".histogram", recorder,
                r -> cache.read(s -> countAtOrBelow(s, bound)))
            .tags(tags.and("le", format(bound / 1e9)))
            .description("Durations at or below le seconds (aggregable)").register(registry);
      }
    }
  }

  private static long countAtOrBelow(LatencySnapshot snapshot, long boundNanos) {
    return snapshot.countAtOrBelow(boundNanos);
  }

  private static String format(double value) {
    String s = String.format(Locale.ROOT, "%.6f", value);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s + "0" : s;
  }

  private static long[] histogramBounds() {
    List<Long> bounds = new ArrayList<>();
    for (long decade = 1_000; decade <= 10_000_000_000L; decade *= 10) {
      for (long step : new long[] {1, 2, 5}) {
        long bound = decade * step;
        if (bound <= 60_000_000_000L) {
          bounds.add(bound);
        }
      }
    }
    bounds.add(60_000_000_000L);
    return bounds.stream().distinct().mapToLong(Long::longValue).sorted().toArray();
  }

  static long[] histogramBoundsNanos() {
    return Arrays.copyOf(HISTOGRAM_BOUNDS_NANOS, HISTOGRAM_BOUNDS_NANOS.length);
  }

  /** Reads a recorder through a weak reference, one snapshot per second at most. */
  private static final class SnapshotCache {
    private static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final WeakReference<LatencyRecorder> recorder;
    private volatile LatencySnapshot snapshot;
    private volatile long takenAt;

    SnapshotCache(LatencyRecorder recorder) {
      this.recorder = new WeakReference<>(recorder);
    }

    private LatencySnapshot current() {
      LatencySnapshot s = snapshot;
      long now = System.nanoTime();
      if (s == null || now - takenAt > TTL_NANOS) {
        LatencyRecorder r = recorder.get();
        if (r == null) {
          return null;
        }
        s = r.snapshot();
        snapshot = s;
        takenAt = now;
      }
      return s;
    }

    long read(ToLongFunction<LatencySnapshot> f) {
      LatencySnapshot s = current();
      return s == null ? 0 : f.applyAsLong(s);
    }

    double readDouble(ToDoubleFunction<LatencySnapshot> f) {
      LatencySnapshot s = current();
      return s == null ? Double.NaN : f.applyAsDouble(s);
    }
  }
}
