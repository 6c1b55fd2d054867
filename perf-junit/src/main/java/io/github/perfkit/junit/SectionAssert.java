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

  private final io.github.perfkit.core.CheckedRunnable<?> section;

  SectionAssert(SectionMeasurement actual) {
    this(actual, null);
  }

  SectionAssert(SectionMeasurement actual, io.github.perfkit.core.CheckedRunnable<?> section) {
    super(actual, SectionAssert.class);
    this.section = section;
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
   * {@link io.github.perfkit.core.RegressionCheck} (noise-aware: beyond the tolerance, the
   * within-run noise and the run-to-run spread). When the file or the entry does not exist yet, or
   * {@code -Dperfkit.baseline.update=true} is set, the measurement is recorded there instead and
   * the assertion passes.
   *
   * <p>When these assertions come from {@code assertThatSection(name, section)}, recording also
   * measures the section interleaved with a fixed CPU loop (the calibration), and every check
   * measures it that way again: it fails only if the ratio section/calibration regressed against the
   * recorded one, so a machine slower (or faster) as a whole at either end is not read as a change of
   * the section. That costs 60 to 180 more runs of the section, and as long again in the loop.
   * Entries without ratios (recorded before {@code perfkit.baseline/2}) are judged on the raw times,
   * and a failure says it was not confirmed.
   *
   * @param baselineFile a perfkit baseline JSON file
   * @param maxSlowdown the slowdown tolerated, as a fraction (0.10 = 10%)
   * @return this
   */
  public SectionAssert isNotSlowerThanBaseline(Path baselineFile, double maxSlowdown) {
    isNotNull();
    Objects.requireNonNull(baselineFile, "baselineFile");
    java.util.Optional<String> problem;
    try {
      problem = Budgets.baseline(actual, baselineFile, maxSlowdown, section);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("section '" + actual.name() + "' threw while re-measured"
          + " against its baseline", e);
    }
    problem.ifPresent(p -> failWithMessage("%s",
        Budgets.failure("'" + actual.name() + "'", java.util.List.of(p))));
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
