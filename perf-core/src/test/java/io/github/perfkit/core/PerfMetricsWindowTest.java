package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Windowed max and percentiles, the +Inf bucket and one tag-key set per meter name (issue 13). */
class PerfMetricsWindowTest {

  @Test
  void maxAndPercentilesCoverTheRecentWindowWhileCountsStayCumulative() {
    MockClock clock = new MockClock();
    SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    LatencyRecorder r = LatencyRecorder.create("fetch");
    PerfMetrics.forRecorder(r).build().bindTo(registry);
    r.record(TimeUnit.MILLISECONDS.toNanos(191));
    clock.add(Duration.ofSeconds(2));
    TimeGauge max = registry.get("perfkit.latency.max").timeGauge();
    TimeGauge p99 = registry.get("perfkit.latency.percentile").tag("phi", "0.99").timeGauge();
    assertThat(max.value(TimeUnit.MILLISECONDS)).isBetween(189.0, 193.0);
    // Three minutes later only fast calls came: the window has forgotten the slow one, as
    // Micrometer's timers do; the cumulative count has not.
    clock.add(Duration.ofMinutes(3));
    for (int i = 0; i < 10; i++) {
      r.record(TimeUnit.MILLISECONDS.toNanos(89));
    }
    clock.add(Duration.ofSeconds(2));
    assertThat(max.value(TimeUnit.MILLISECONDS)).isBetween(88.0, 90.0);
    assertThat(p99.value(TimeUnit.MILLISECONDS)).isBetween(88.0, 90.0);
    assertThat(registry.get("perfkit.latency").functionTimer().count()).isEqualTo(11);
    assertThat(r.snapshot().max().toMillis()).isBetween(189L, 193L); // the recorder keeps its life
    // Nothing at all for a whole window: the recent figures are zero.
    clock.add(Duration.ofMinutes(5));
    assertThat(max.value(TimeUnit.MILLISECONDS)).isZero();
  }

  @Test
  void theWindowIsTwoMinutesByDefaultAndRotatesInThirds() {
    MockClock clock = new MockClock();
    SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    LatencyRecorder r = LatencyRecorder.create("w");
    PerfMetrics.forRecorder(r).build().bindTo(registry);
    r.record(TimeUnit.MILLISECONDS.toNanos(50));
    TimeGauge max = registry.get("perfkit.latency.max").timeGauge();
    // A value enters the window when it is read (a scrape): here at once.
    assertThat(max.value(TimeUnit.MILLISECONDS)).isBetween(49.0, 51.0);
    clock.add(Duration.ofSeconds(79)); // within two thirds of the window: still seen
    assertThat(max.value(TimeUnit.MILLISECONDS)).isBetween(49.0, 51.0);
    clock.add(Duration.ofSeconds(42)); // past the whole window: gone
    assertThat(max.value(TimeUnit.MILLISECONDS)).isZero();
  }

  @Test
  void theHistogramEndsWithAnInfBucketHoldingEveryDuration() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatencyRecorder r = LatencyRecorder.create("h");
    PerfMetrics.forRecorder(r).publishHistogram(true).build().bindTo(registry);
    r.record(TimeUnit.SECONDS.toNanos(90)); // beyond the largest finite bucket (60 s)
    r.record(TimeUnit.MILLISECONDS.toNanos(3));
    FunctionCounter inf = registry.get("perfkit.latency.histogram").tag("le", "+Inf").functionCounter();
    FunctionCounter sixty = registry.get("perfkit.latency.histogram").tag("le", "60.0")
        .functionCounter();
    assertThat(inf.count()).isEqualTo(2);
    assertThat(sixty.count()).isEqualTo(1);
  }

  @Test
  void aRecorderUnderItsOwnMeterNameCarriesNoNameTag() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatencyRecorder r = LatencyRecorder.create("users.load");
    PerfMetrics.forRecorder(r).meterName("perfkit.cache.load").tags("cache", "users").build()
        .bindTo(registry);
    r.record(1_000);
    FunctionTimer t = registry.get("perfkit.cache.load").functionTimer();
    assertThat(t.getId().getTags()).extracting(io.micrometer.core.instrument.Tag::getKey)
        .containsExactly("cache");
    assertThat(registry.find("perfkit.latency").meters()).isEmpty();
  }

  @Test
  void everyMeterOfOneNameHasOneSetOfTagKeys() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatencyRecorder a = LatencyRecorder.create("a");
    LatencyRecorder b = LatencyRecorder.create("b");
    PerfMetrics.forRecorder(a).publishHistogram(true).build().bindTo(registry);
    PerfMetrics.forRecorder(b).publishHistogram(true).build().bindTo(registry);
    StageBreakdown stages = StageBreakdown.create("pipe");
    PerfMetrics.forBreakdown(stages).publishHistogram(true).build().bindTo(registry);
    stages.time("one", () -> 1);
    stages.time("two", () -> 2);
    Set<String> names = registry.getMeters().stream().map(m -> m.getId().getName())
        .collect(Collectors.toSet());
    for (String name : names) {
      Set<Set<String>> keySets = new HashSet<>();
      for (Meter m : registry.find(name).meters()) {
        keySets.add(m.getId().getTags().stream().map(io.micrometer.core.instrument.Tag::getKey)
            .collect(Collectors.toSet()));
      }
      assertThat(keySets).as(name).hasSize(1);
    }
  }

  @Test
  void badSettingsAreNamed() {
    LatencyRecorder r = LatencyRecorder.create("x");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PerfMetrics.forRecorder(r).window(Duration.ofMillis(10)))
        .withMessageContaining("window");
    assertThatIllegalArgumentException().isThrownBy(() -> PerfMetrics.forRecorder(r).meterName(" "))
        .withMessageContaining("meterName");
    assertThatIllegalStateException()
        .isThrownBy(() -> PerfMetrics.forBreakdown(StageBreakdown.create("s")).meterName("x.y"))
        .withMessageContaining("perfkit.stage");
    assertThat(List.of(PerfMetrics.DEFAULT_WINDOW)).containsExactly(Duration.ofMinutes(2));
  }
}
