package io.github.perfkit.core;

import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.time.Duration;
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
 * For a recorder (base name {@code perfkit.latency}, tag {@code name}; or the base name given to
 * {@link Builder#meterName(String)}, without the {@code name} tag) or a breakdown stage (base name
 * {@code perfkit.stage}, tags {@code breakdown} and {@code stage}):
 * <ul>
 *   <li>{@code <base>}: a function timer (count and total time) over the recorder's lifetime
 *       (cumulative, as Prometheus' {@code rate()} expects);
 *   <li>{@code <base>.max}: the largest duration of the <b>recent window</b> (about the last two
 *       minutes by default, {@link Builder#window(Duration)}), as Micrometer's timers report it;
 *   <li>{@code <base>.failures}: a counter of failed operations;
 *   <li>{@code <base>.percentile} with tag {@code phi} (0.5, 0.9, 0.95, 0.99, 0.999 by default):
 *       <b>client-side percentiles</b> over the same recent window, computed in this process. They
 *       cannot be averaged across instances;
 *   <li>optionally ({@link Builder#publishHistogram(boolean)}) {@code <base>.histogram} with tag
 *       {@code le} (seconds): cumulative counts of durations at or below each bucket boundary,
 *       1 µs to 60 s in 1-2-5 steps, and {@code le="+Inf"} (every duration), over the lifetime.
 *       These <b>aggregate across instances</b>: in Prometheus,
 *       {@code histogram_quantile(0.99, sum by (le) (rate(perfkit_latency_histogram_total[5m])))}.
 * </ul>
 * Every meter of one name has the same tag keys (Prometheus rejects a second set): the family's
 * own tags plus the tags given to {@link Builder#tags(String...)}. Tags carry names only: never keys,
 * ids or URLs. Binders hold what they measure through a weak reference, so binding never keeps a
 * recorder alive; a collected recorder reads as zero/NaN.
 *
 * <p>The recent window works like Micrometer's time-window histograms: three rotating buffers, one
 * retired every third of the window, read on the registry's clock. A recorder bound twice with the
 * same clock and window shares one window (a sparse histogram: a few KiB while little is recorded).
 *
 * <p>Thread-safe. A publish reads one snapshot per recorder and reuses it for one second, so a scrape
 * of many meters copies the histogram once.
 */
public final class PerfMetrics {

  private static final double[] DEFAULT_PERCENTILES = {50, 90, 95, 99, 99.9};
  /** The recent window of {@code .max} and {@code .percentile}: Micrometer's default expiry. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
  private static final int WINDOW_BUFFERS = 3;
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
    return new Builder(Require.notNull(recorder, "recorder"), null);
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
    return new Builder(null, Require.notNull(breakdown, "breakdown"));
  }

  /**
   * Settings of a binder, and a binder itself: {@link #bindTo(MeterRegistry)} binds with the
   * settings made so far, so {@code recorder.metrics().tags("service", "search").bindTo(registry)}
   * needs no {@code build()}. Each setting may be made once (the two {@code tags} methods are one
   * setting). Not thread-safe; {@link #build()} copies, so a binder built before never changes.
   */
  public static final class Builder implements MeterBinder {
    private final SetOnce set = new SetOnce();
    private final LatencyRecorder recorder;
    private final StageBreakdown breakdown;
    private Tags tags = Tags.empty();
    private double[] percentiles = DEFAULT_PERCENTILES.clone();
    private boolean histogram;
    private String meterName;
    private Duration window = DEFAULT_WINDOW;

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
      set.mark("tags");
      Require.notNull(keyValues, "keyValues");
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
      set.mark("tags");
      Require.notNull(tags, "tags");
      this.tags = this.tags.and(tags);
      return this;
    }

    /**
     * The client-side percentiles to publish, on perfkit's one scale, 0 to 100 (default 50, 90, 95,
     * 99, 99.9); none to publish none. Each is read with HdrHistogram's
     * {@code getValueAtPercentile} (see {@link LatencySnapshot#percentile(double)}) and published
     * with the tag {@code phi} that Micrometer's timers use, the same percentile as a fraction
     * ({@code 99.9} is {@code phi="0.999"}), so dashboards built on Micrometer read them unchanged.
     *
     * @param percentiles values in [0, 100], e.g. {@code 99.9}
     * @return this builder
     * @throws IllegalArgumentException if a value is outside [0, 100] or NaN
     */
    public Builder percentiles(double... percentiles) {
      set.mark("percentiles");
      Require.notNull(percentiles, "percentiles");
      for (double p : percentiles) {
        Require.inRange(p, 0, 100, "percentiles");
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
      set.mark("publishHistogram");
      this.histogram = publish;
      return this;
    }

    /**
     * Publishes a recorder under its own meter name instead of {@code perfkit.latency{name=...}}:
     * the meters are {@code <meterName>}, {@code <meterName>.max}, ... with the tags of
     * {@link #tags(String...)} and no {@code name} tag. Use it when the recorder measures a thing
     * of its own kind (a cache's loads, a client's calls), so that its meters never share a name
     * with meters that carry other tags. Recorders only; a breakdown's stages are
     * {@code perfkit.stage}.
     *
     * @param meterName dotted, lower case, e.g. {@code "myapp.client.calls"}
     * @return this builder
     * @throws IllegalStateException if this builder is for a breakdown
     * @throws IllegalArgumentException if {@code meterName} is blank
     */
    public Builder meterName(String meterName) {
      set.mark("meterName");
      Require.notBlank(meterName, "meterName");
      Require.state(recorder != null, "meterName applies to a recorder; a breakdown's stages"
          + " are published as perfkit.stage");
      this.meterName = meterName;
      return this;
    }

    /**
     * How much recent time {@code .max} and {@code .percentile} cover (default
     * {@link #DEFAULT_WINDOW}, two minutes, as Micrometer's {@code distributionStatisticExpiry}).
     *
     * @param window from one second to one day
     * @return this builder
     * @throws IllegalArgumentException if {@code window} is outside that range
     */
    public Builder window(Duration window) {
      set.mark("window");
      Require.notNull(window, "window");
      if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("window must be between 1 s and 1 day but was "
            + window);
      }
      this.window = window;
      return this;
    }

    /**
     * Binds the meters to {@code registry} with the settings made so far.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
      build().bindTo(registry);
    }

    /**
     * Creates the binder (an immutable copy of these settings).
     *
     * @return a binder to call {@link MeterBinder#bindTo(MeterRegistry)} on
     */
    public MeterBinder build() {
      Tags fixedTags = tags;
      double[] fixedPercentiles = percentiles.clone();
      boolean fixedHistogram = histogram;
      Duration fixedWindow = window;
      if (recorder != null) {
        LatencyRecorder r = recorder;
        String base = meterName == null ? "perfkit.latency" : meterName;
        Tags all = meterName == null ? fixedTags.and("name", r.name()) : fixedTags;
        return registry -> bindRecorder(registry, r, base, all, fixedPercentiles, fixedHistogram,
            fixedWindow);
      }
      StageBreakdown b = breakdown;
      return registry -> b.addListener((path, stageRecorder) -> bindRecorder(registry,
          stageRecorder, "perfkit.stage", fixedTags.and("breakdown", b.name()).and("stage", path),
          fixedPercentiles, fixedHistogram, fixedWindow));
    }
  }

  private static void bindRecorder(MeterRegistry registry, LatencyRecorder recorder, String base,
      Tags tags, double[] percentiles, boolean histogram, Duration window) {
    Objects.requireNonNull(registry, "registry");
    // Micrometer holds a meter's state object weakly: the state is the recorder itself, so a dropped
    // recorder can be collected; the snapshot cache travels in the (strongly held) functions.
    SnapshotCache cache = new SnapshotCache(recorder, registry.config().clock(), window);
    FunctionTimer.builder(base, recorder, r -> cache.read(LatencySnapshot::count),
            r -> cache.readDouble(s -> (double) s.totalNanos()), TimeUnit.NANOSECONDS)
        .tags(tags).description("Durations recorded by perfkit").register(registry);
    TimeGauge.builder(base + ".max", recorder, TimeUnit.NANOSECONDS,
            r -> cache.readRecent(s -> (double) s.max().toNanos()))
        .tags(tags).description("Largest duration in the recent window").register(registry);
    FunctionCounter.builder(base + ".failures", recorder,
            r -> cache.read(LatencySnapshot::failureCount))
        .tags(tags).description("Operations that failed").register(registry);
    for (double p : percentiles) {
      TimeGauge.builder(base + ".percentile", recorder, TimeUnit.NANOSECONDS,
              r -> cache.readRecent(s -> (double) s.percentile(p).toNanos()))
          .tags(tags.and("phi", format(p / 100)))
          .description("Client-side percentile over the recent window").register(registry);
    }
    if (histogram) {
      for (long bound : HISTOGRAM_BOUNDS_NANOS) {
        FunctionCounter.builder(base + ".histogram", recorder,
                r -> cache.read(s -> countAtOrBelow(s, bound)))
            .tags(tags.and("le", format(bound / 1e9)))
            .description("Durations at or below le seconds (aggregable)").register(registry);
      }
      FunctionCounter.builder(base + ".histogram", recorder, r -> cache.read(LatencySnapshot::count))
          .tags(tags.and("le", "+Inf"))
          .description("Durations at or below le seconds (aggregable)").register(registry);
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

  /**
   * Reads a recorder through a weak reference: the lifetime snapshot and the recent window's, each
   * at most once per second of the registry's clock.
   */
  private static final class SnapshotCache {
    private static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final WeakReference<LatencyRecorder> recorder;
    private final Clock clock;
    private final io.github.perfkit.core.internal.StripedHistogram.Window window;
    private volatile LatencySnapshot snapshot;
    private volatile long takenAt;
    private volatile LatencySnapshot recent;
    private volatile long recentAt;

    SnapshotCache(LatencyRecorder recorder, Clock clock, Duration window) {
      this.recorder = new WeakReference<>(recorder);
      this.clock = clock;
      this.window = recorder.window(clock, clock::monotonicTime, window, WINDOW_BUFFERS);
    }

    private LatencySnapshot current() {
      LatencySnapshot s = snapshot;
      long now = clock.monotonicTime();
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

    private LatencySnapshot currentRecent() {
      LatencySnapshot s = recent;
      long now = clock.monotonicTime();
      if (s == null || now - recentAt > TTL_NANOS) {
        LatencyRecorder r = recorder.get();
        if (r == null) {
          return null;
        }
        s = r.windowSnapshot(window);
        recent = s;
        recentAt = now;
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

    double readRecent(ToDoubleFunction<LatencySnapshot> f) {
      LatencySnapshot s = currentRecent();
      return s == null ? Double.NaN : f.applyAsDouble(s);
    }
  }
}
