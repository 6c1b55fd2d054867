package io.github.perfkit.junit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link SectionMeasurement}: latency percentiles, allocation per run and
 * the slowdown against a baseline file. Each failure message gives the measured figure, the budget
 * and the whole measurement. Not thread-safe (as AssertJ assertions).
 */
public final class SectionAssert extends AbstractAssert<SectionAssert, SectionMeasurement> {

  SectionAssert(SectionMeasurement actual) {
    super(actual, SectionAssert.class);
  }

  /**
   * @param budget the most the median run may take
   * @return this
   */
  public SectionAssert hasP50AtMost(Duration budget) {
    return latency("p50", actual.p50(), budget);
  }

  /**
   * @param budget the most the 95th percentile run may take
   * @return this
   */
  public SectionAssert hasP95AtMost(Duration budget) {
    return latency("p95", actual.p95(), budget);
  }

  /**
   * @param budget the most the 99th percentile run may take
   * @return this
   */
  public SectionAssert hasP99AtMost(Duration budget) {
    return latency("p99", actual.p99(), budget);
  }

  /**
   * @param bytes the most a run may allocate (median over the runs), {@code >= 0}
   * @return this
   */
  public SectionAssert allocatesAtMost(long bytes) {
    isNotNull();
    Budgets.allocation(actual, bytes).ifPresent(problem -> failWithMessage("%s",
        Budgets.failure("'" + actual.name() + "'", java.util.List.of(problem))));
    return this;
  }

  /**
   * Checks the runs against the entry of the same name in a baseline file with
   * {@link io.github.perfkit.core.RegressionCheck} (noise-aware). When the file or the entry does
   * not exist yet, or {@code -Dperfkit.baseline.update=true} is set, the measurement is recorded
   * there instead and the assertion passes.
   *
   * @param baselineFile a perfkit baseline JSON file
   * @param maxSlowdown the slowdown tolerated, as a fraction (0.10 = 10%)
   * @return this
   */
  public SectionAssert isNotSlowerThanBaseline(Path baselineFile, double maxSlowdown) {
    isNotNull();
    Objects.requireNonNull(baselineFile, "baselineFile");
    Budgets.baseline(actual, baselineFile, maxSlowdown).ifPresent(problem -> failWithMessage("%s",
        Budgets.failure("'" + actual.name() + "'", java.util.List.of(problem))));
    return this;
  }

  private SectionAssert latency(String label, Duration measured, Duration budget) {
    isNotNull();
    Objects.requireNonNull(budget, "budget");
    Budgets.latency(actual, label, measured, budget).ifPresent(problem -> failWithMessage("%s",
        Budgets.failure("'" + actual.name() + "'", java.util.List.of(problem))));
    return this;
  }
}
