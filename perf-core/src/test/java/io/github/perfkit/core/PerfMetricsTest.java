package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PerfMetricsTest {

  @Test
  void aBoundRecorderIsReadByMicrometerWithoutRecordingTwice() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatencyRecorder recorder = LatencyRecorder.create("fetch");
    PerfMetrics.forRecorder(recorder).tags("service", "search").publishHistogram(true).build()
        .bindTo(registry);
    for (int i = 1; i <= 1000; i++) {
      recorder.record(TimeUnit.MICROSECONDS.toNanos(i)); // 1 µs .. 1 ms
    }
    recorder.recordFailure(TimeUnit.MILLISECONDS.toNanos(3));

    FunctionTimer timer = registry.get("perfkit.latency").tag("name", "fetch")
        .tag("service", "search").functionTimer();
    assertThat(timer.count()).isEqualTo(1001);
    LatencySnapshot s = recorder.snapshot();
    assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isCloseTo(s.totalNanos(), within(1.0));
    TimeGauge p99 = registry.get("perfkit.latency.percentile").tag("phi", "0.99").timeGauge();
    assertThat(p99.value(TimeUnit.NANOSECONDS)).isCloseTo(990_000, within(990_000 * 0.01));
    assertThat(registry.get("perfkit.latency.max").timeGauge().value(TimeUnit.MILLISECONDS))
        .isCloseTo(3.0, within(0.03));
    assertThat(registry.get("perfkit.latency.failures").functionCounter().count()).isEqualTo(1);
    FunctionCounter le100us = registry.get("perfkit.latency.histogram").tag("le", "0.0001")
        .functionCounter();
    assertThat(le100us.count()).isCloseTo(100, within(1.0));
    assertThat(registry.get("perfkit.latency.percentile").timeGauges()).hasSize(5);
  }

  @Test
  void everyStageOfABoundBreakdownIsPublishedIncludingLaterOnes() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StageBreakdown breakdown = StageBreakdown.create("import");
    try (StageBreakdown.Stage s = breakdown.stage("fetch")) {
      Thread.onSpinWait();
    }
    PerfMetrics.forBreakdown(breakdown).build().bindTo(registry);
    try (StageBreakdown.Stage s = breakdown.stage("store")) {
      Thread.onSpinWait();
    }
    try (StageBreakdown.Stage s = breakdown.stage("store")) {
      Thread.onSpinWait();
    }
    assertThat(registry.get("perfkit.stage").tag("breakdown", "import").tag("stage", "fetch")
        .functionTimer().count()).isEqualTo(1);
    assertThat(registry.get("perfkit.stage").tag("breakdown", "import").tag("stage", "store")
        .functionTimer().count()).isEqualTo(2);
  }

  @Test
  void metersKeepReadingALiveRecorderAfterGarbageCollection() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatencyRecorder recorder = LatencyRecorder.create("alive");
    PerfMetrics.forRecorder(recorder).build().bindTo(registry); // the binder itself is dropped
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(10);
    }
    recorder.record(1_000);
    assertThat(registry.get("perfkit.latency").tag("name", "alive").functionTimer().count())
        .isEqualTo(1);
  }

  @Test
  void bindingDoesNotKeepARecorderAlive() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    java.lang.ref.WeakReference<LatencyRecorder> ref = bindThrowaway(registry);
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(ref.get()).isNull();
    assertThat(registry.get("perfkit.latency").functionTimer().count()).isZero();
  }

  private static java.lang.ref.WeakReference<LatencyRecorder> bindThrowaway(
      SimpleMeterRegistry registry) {
    LatencyRecorder recorder = LatencyRecorder.create("gone");
    recorder.record(5);
    PerfMetrics.forRecorder(recorder).build().bindTo(registry);
    return new java.lang.ref.WeakReference<>(recorder);
  }

  @Test
  void badSettingsAreNamed() {
    LatencyRecorder recorder = LatencyRecorder.create("x");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PerfMetrics.forRecorder(recorder).percentiles(50, 100.5))
        .withMessage("percentiles must be in [0.0, 100.0] but was 100.5");
    assertThatIllegalArgumentException().isThrownBy(() -> PerfMetrics.forRecorder(recorder).tags("a"))
        .withMessageContaining("keyValues");
  }

  @Test
  void percentilesAreGivenOnTheZeroToHundredScaleAndTaggedAsMicrometerDoes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatencyRecorder recorder = LatencyRecorder.create("scale");
    PerfMetrics.forRecorder(recorder).percentiles(50, 99.9).build().bindTo(registry);
    for (int i = 1; i <= 1000; i++) {
      recorder.record(TimeUnit.MICROSECONDS.toNanos(i));
    }
    assertThat(registry.get("perfkit.latency.percentile").timeGauges()).hasSize(2);
    double p999 = registry.get("perfkit.latency.percentile").tag("phi", "0.999").timeGauge()
        .value(TimeUnit.NANOSECONDS);
    assertThat(p999).isCloseTo(recorder.snapshot().percentile(99.9).toNanos(), within(0.01));
    double p50 = registry.get("perfkit.latency.percentile").tag("phi", "0.5").timeGauge()
        .value(TimeUnit.NANOSECONDS);
    assertThat(p50).isCloseTo(recorder.snapshot().p50().toNanos(), within(0.01));
  }
}
