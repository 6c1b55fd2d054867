package io.github.perfkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.perfkit.core.Baseline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** Runs {@link Fixtures} through the JUnit engine and checks which tests the budgets failed. */
class PerfBudgetExtensionTest {

  static final String BASELINE = "target/perf-budget-extension-test/baseline.json";

  @Test
  void budgetsPassOrFailTheTestWithAReadableExplanation() throws Exception {
    Path baseline = Path.of(BASELINE);
    Files.deleteIfExists(baseline);
    Baseline.of(List.of(Baseline.Measurement.ofSamples("slow-io", "ns/run", false,
        1e6, 1.05e6, 0.98e6, 1.01e6, 1.02e6, 0.99e6, 1.03e6, 1e6))).save(baseline);

    Map<String, String> outcome = EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(Fixtures.class)).execute().testEvents()
        .filter(e -> e.getType() == EventType.FINISHED)
        .collect(Collectors.toMap(e -> e.getTestDescriptor().getDisplayName(),
            PerfBudgetExtensionTest::describe));

    outcome.forEach((test, result) -> System.out.println(test + " -> " + result));
    assertThat(outcome.get("withinBudget(PerfProbe)")).isEqualTo("SUCCESSFUL");
    assertThat(outcome.get("overBudget(PerfProbe)")).startsWith("FAILED")
        .contains("Performance budget of Fixtures.overBudget exceeded:")
        .contains("p95 was").contains("budget 1.00 ms");
    assertThat(outcome.get("forgotToMeasure(PerfProbe)")).startsWith("FAILED")
        .contains("call probe.measure(...)");
    assertThat(outcome.get("badDuration(PerfProbe)")).startsWith("FAILED")
        .contains("@PerfBudget p95 must be a duration");
    assertThat(outcome.get("slowerThanBaseline(PerfProbe)")).startsWith("FAILED")
        .contains("Performance budget of slow-io exceeded")
        .contains("more than 10% slower than the baseline").contains("slow-io: REGRESSED");
    assertThat(outcome.get("failingTestIsNotJudgedOnSpeed(PerfProbe)")).startsWith("FAILED")
        .contains("the test's own failure");
  }

  private static String describe(Event e) {
    var result = e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class);
    return result.getStatus() + result.getThrowable().map(t -> ": " + t.getMessage()).orElse("");
  }

  /** Not run by Surefire directly (nested classes are excluded); run above by the engine kit. */
  static class Fixtures {

    @Test
    @PerfBudget(p95 = "10s", allocatedBytes = 10 << 20, runs = 5, warmup = 1)
    void withinBudget(PerfProbe probe) throws Exception {
      probe.measure(() -> Thread.sleep(1));
    }

    @Test
    @PerfBudget(p95 = "1ms", runs = 5, warmup = 0)
    void overBudget(PerfProbe probe) throws Exception {
      probe.measure(() -> Thread.sleep(3));
    }

    @Test
    @PerfBudget(p95 = "1s")
    void forgotToMeasure(PerfProbe probe) {
      // no probe.measure(...)
    }

    @Test
    @PerfBudget(p95 = "fast", runs = 2, warmup = 0)
    void badDuration(PerfProbe probe) {
      probe.measure(() -> { });
    }

    @Test
    @PerfBudget(name = "slow-io", maxSlowdown = 0.10, baseline = BASELINE, runs = 10, warmup = 1)
    void slowerThanBaseline(PerfProbe probe) throws Exception {
      probe.measure(() -> Thread.sleep(8));
    }

    @Test
    @PerfBudget(p95 = "1ms", runs = 2, warmup = 0)
    void failingTestIsNotJudgedOnSpeed(PerfProbe probe) throws Exception {
      probe.measure(() -> Thread.sleep(3));
      throw new AssertionError("the test's own failure");
    }
  }
}
