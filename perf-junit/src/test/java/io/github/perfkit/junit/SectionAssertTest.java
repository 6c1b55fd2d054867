package io.github.perfkit.junit;

import static io.github.perfkit.junit.PerfAssertions.assertThat;
import static io.github.perfkit.junit.PerfAssertions.assertThatSection;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.Baseline;
import io.github.perfkit.core.Compare;
import io.github.perfkit.core.Comparison;
import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.RegressionCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assertions pass within budget and fail, readably, beyond it. */
class SectionAssertTest {

  static volatile Object sink;

  @Test
  void generousBudgetsPass() throws Exception {
    assertThatSection("sleepy", () -> Thread.sleep(1)).hasP95AtMost(Duration.ofSeconds(5))
        .hasP50AtMost(Duration.ofSeconds(5)).hasP99AtMost(Duration.ofSeconds(5));
    assertThatSection("one MiB", () -> sink = new byte[1 << 20]).allocatesAtMost(2 << 20);
  }

  @Test
  void aSectionSlowerThanItsBudgetFailsWithTheFigures() {
    // sleeping 3 ms cannot fit a 1 ms budget on any machine
    assertThatThrownBy(() -> assertThatSection("sleepy", () -> Thread.sleep(3))
        .hasP95AtMost(Duration.ofMillis(1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Performance budget of 'sleepy' exceeded:")
        .hasMessageContaining("p95 was").hasMessageContaining("budget 1.00 ms")
        .hasMessageContaining("30 runs: p50");
  }

  @Test
  void allocationBeyondTheBudgetFails() {
    assertThatThrownBy(() -> assertThatSection("one MiB", () -> sink = new byte[1 << 20])
        .allocatesAtMost(512 * 1024))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("allocation per run was 1.0 MiB (median of 30 runs), budget 512.0 KiB");
  }

  @Test
  void baselineIsRecordedFirstThenEnforced(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("perf/baseline.json");
    SectionMeasurement fast = SectionMeasurement.measure("io", 1, 20, () -> Thread.sleep(1));
    assertThat(fast).isNotSlowerThanBaseline(file, 0.10); // no file yet: recorded
    Assertions.assertThat(Baseline.load(file).get("io")).isPresent();
    SectionMeasurement slow = SectionMeasurement.measure("io", 1, 20, () -> Thread.sleep(8));
    assertThatThrownBy(() -> assertThat(slow).isNotSlowerThanBaseline(file, 0.10))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("more than 10% slower than the baseline")
        .hasMessageContaining("io: REGRESSED").hasMessageContaining("-Dperfkit.baseline.update=true");
    System.setProperty("perfkit.baseline.update", "true");
    try {
      assertThat(slow).isNotSlowerThanBaseline(file, 0.10); // re-recorded
    } finally {
      System.clearProperty("perfkit.baseline.update");
    }
    assertThat(slow).isNotSlowerThanBaseline(file, 0.10);
    Assertions.assertThat(Files.readString(file)).contains("\"name\":\"io\"");
  }

  @Test
  void recorderComparisonAndRegressionAssertions() {
    LatencyRecorder r = LatencyRecorder.create("calls");
    for (int i = 1; i <= 100; i++) {
      r.record(i * 1_000_000L);
    }
    assertThat(r.snapshot()).hasP95AtMost(Duration.ofSeconds(1));
    assertThatThrownBy(() -> assertThat(r.snapshot()).hasP99AtMost(Duration.ofMillis(50)))
        .hasMessageContaining("Performance budget of 'calls' exceeded")
        .hasMessageContaining("p99 was 99");
    Comparison c = Compare.named("sleep").baseline("4ms", () -> sleep(4)).add("1ms", () -> sleep(1))
        .rounds(10).warmupRounds(1).build().run();
    assertThat(c).isSignificantlyFaster("1ms", 1.5).isNotSlowerThanBaseline("1ms", 0.05);
    assertThatThrownBy(() -> assertThat(c).isSignificantlyFaster("4ms", 1.1))
        .hasMessageContaining("Expected '4ms' to be significantly faster than '4ms'");
    Baseline before = Baseline.of(List.of(Baseline.Measurement.ofSamples("op", "ns", false,
        100, 101, 99, 100, 102, 98, 100)));
    Baseline after = Baseline.of(List.of(Baseline.Measurement.ofSamples("op", "ns", false,
        150, 151, 149, 150, 152, 148, 150)));
    assertThat(RegressionCheck.against(before).check(before)).hasNoRegressions();
    assertThatThrownBy(() -> assertThat(RegressionCheck.against(before).check(after))
        .hasNoRegressions()).hasMessageContaining("Expected no performance regressions, but:")
        .hasMessageContaining("op: REGRESSED, +50.0% worse");
  }

  static int sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 1;
  }

  @Test
  void badArgumentsNameTheParameter() {
    assertThatThrownBy(() -> SectionMeasurement.measure("x", -1, 5, () -> { }))
        .hasMessageContaining("warmup must be >= 0 but was -1");
    assertThatThrownBy(() -> SectionMeasurement.measure("x", 0, 0, () -> { }))
        .hasMessageContaining("runs must be between 1 and 100000 but was 0");
    assertThatThrownBy(() -> Budgets.parseDuration("@PerfBudget p95", "fast"))
        .hasMessageContaining("@PerfBudget p95 must be a duration such as \"20ms\"");
    Assertions.assertThat(Budgets.parseDuration("p", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    Assertions.assertThat(Budgets.parseDuration("p", "300us")).isEqualTo(Duration.ofNanos(300_000));
  }
}
