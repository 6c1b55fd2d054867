package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The twin of README's perf-core quick start: if this stops compiling, the README is wrong. */
class ReadmeQuickStartTest {

  private static String download(String url) {
    return "page of " + url;
  }

  private static void fetchAll() {
    TimingHelpersTest.spinNanos(2_000_000);
  }

  private static void storeAll() {
    TimingHelpersTest.spinNanos(1_000_000);
  }

  @Test
  void quickStartRuns() {
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    String url = "https://example.org";
    // --- README: Quick start: perf-core ---
    LatencyRecorder fetch = LatencyRecorder.create("fetch");
    String page = fetch.time(() -> download(url));            // timed; an exception counts as a failure
    System.out.println(fetch.snapshot().p99());                // also count, mean, max, p50 ... p99.9

    StageBreakdown run = StageBreakdown.create("import");
    try (StageBreakdown.Stage s = run.stage("fetch")) {
      fetchAll();
    }
    try (StageBreakdown.Stage s = run.stage("store")) {
      storeAll();
    }
    System.out.print(run.snapshot().text());    // ranked stages, 80% line, CPU vs wait

    PerfMetrics.forRecorder(fetch).build().bindTo(meterRegistry);  // perfkit.latency{name="fetch"}
    PerfMetrics.forBreakdown(run).build().bindTo(meterRegistry);   // perfkit.stage{breakdown,stage}
    // --- end ---
    assertThat(page).startsWith("page of");
    assertThat(meterRegistry.get("perfkit.latency").functionTimer().count()).isEqualTo(1);
    assertThat(meterRegistry.get("perfkit.stage").functionTimers()).hasSize(2);
    assertThat(run.snapshot().stages()).extracting(BreakdownSnapshot.StageStats::name)
        .containsExactlyInAnyOrder("fetch", "store");
  }
}
