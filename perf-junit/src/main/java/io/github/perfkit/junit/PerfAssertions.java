package io.github.perfkit.junit;

import io.github.perfkit.core.CheckedRunnable;
import io.github.perfkit.core.Comparison;
import io.github.perfkit.core.LatencySnapshot;
import io.github.perfkit.core.RegressionReport;
import io.github.perfkit.core.internal.Format;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Entry point of perfkit's AssertJ assertions: budgets on a section's latency and allocation, on a
 * recorder's percentiles, on a comparison's verdicts and on a regression report.
 *
 * <pre>{@code
 * assertThatSection("parse", () -> parser.parse(doc))        // warm-up until settled, 30 measured
 *     .hasP95AtMost(Duration.ofMillis(20))
 *     .allocatesAtMost(512 * 1024)
 *     .isNotSlowerThanBaseline(Path.of("src/test/perf/baseline.json"), 0.10);
 * }</pre>
 *
 * <p>Latency budgets in unit tests are only as steady as the machine: give them room (the p95 you
 * expect times two or three) and keep tight speed claims in JMH benchmarks. Allocation budgets and
 * the noise-aware baseline check are steadier. Stateless and thread-safe.
 */
public final class PerfAssertions {

  private PerfAssertions() {}

  /**
   * Measures a section (at least 5 warm-up runs and until its run times settle, at most
   * {@link SectionMeasurement#DEFAULT_WARMUP_LIMIT}; then 30 measured runs) and returns
   * assertions on it, which may re-measure it to confirm a slowdown against a baseline.
   *
   * @param name the section's name, used in messages and as its baseline entry
   * @param section the code
   * @param <E> what the section may throw
   * @return assertions on the measurement
   * @throws E whatever the section throws
   */
  public static <E extends Exception> SectionAssert assertThatSection(String name,
      CheckedRunnable<E> section) throws E {
    return new SectionAssert(SectionMeasurement.measure(name, 5, 30, section), section);
  }

  /**
   * @param measurement a measured section
   * @return assertions on it
   */
  public static SectionAssert assertThat(SectionMeasurement measurement) {
    return new SectionAssert(measurement);
  }

  /**
   * @param snapshot a recorder's snapshot
   * @return assertions on its percentiles
   */
  public static LatencyAssert assertThat(LatencySnapshot snapshot) {
    return new LatencyAssert(snapshot);
  }

  /**
   * @param comparison what {@link io.github.perfkit.core.Compare} measured
   * @return assertions on its verdicts
   */
  public static ComparisonAssert assertThat(Comparison comparison) {
    return new ComparisonAssert(comparison);
  }

  /**
   * @param report a regression check's outcome
   * @return assertions on it
   */
  public static RegressionAssert assertThat(RegressionReport report) {
    return new RegressionAssert(report);
  }

  /** Assertions on a recorder's percentiles. */
  public static final class LatencyAssert extends AbstractAssert<LatencyAssert, LatencySnapshot> {

    LatencyAssert(LatencySnapshot actual) {
      super(actual, LatencyAssert.class);
    }

    /**
     * @param budget the most the recorder's p95 may be
     * @return this
     */
    public LatencyAssert hasP95AtMost(Duration budget) {
      return check("p95", actual == null ? null : actual.p95(), budget);
    }

    /**
     * @param budget the most the recorder's p99 may be
     * @return this
     */
    public LatencyAssert hasP99AtMost(Duration budget) {
      return check("p99", actual == null ? null : actual.p99(), budget);
    }

    /**
     * @param budget the most the recorder's slowest call may take
     * @return this
     */
    public LatencyAssert hasMaxAtMost(Duration budget) {
      return check("max", actual == null ? null : actual.max(), budget);
    }

    private LatencyAssert check(String label, Duration measured, Duration budget) {
      isNotNull();
      Objects.requireNonNull(budget, "budget");
      if (measured.compareTo(budget) > 0) {
        failWithMessage("%s", String.format(Locale.ROOT, "Performance budget of '%s' exceeded:%n"
            + "  - %s was %s, budget %s over %d calls (p50 %s, p95 %s, p99 %s, max %s)",
            actual.name(), label, Format.duration(measured.toNanos()),
            Format.duration(budget.toNanos()), actual.count(),
            Format.duration(actual.p50().toNanos()), Format.duration(actual.p95().toNanos()),
            Format.duration(actual.p99().toNanos()), Format.duration(actual.max().toNanos())));
      }
      return this;
    }
  }

  /** Assertions on a comparison's verdicts. */
  public static final class ComparisonAssert extends AbstractAssert<ComparisonAssert, Comparison> {

    ComparisonAssert(Comparison actual) {
      super(actual, ComparisonAssert.class);
    }

    /**
     * The approach is faster than the baseline, significantly, by at least the given factor (on the
     * median).
     *
     * @param approach the approach's name
     * @param atLeast the smallest speedup accepted, e.g. 1.5
     * @return this
     */
    public ComparisonAssert isSignificantlyFaster(String approach, double atLeast) {
      isNotNull();
      Comparison.Result r = actual.result(approach);
      if (!r.significant() || r.speedup() < 1 || r.speedup() < atLeast) {
        failWithMessage("%s", String.format(Locale.ROOT, "Expected '%s' to be significantly faster"
            + " than '%s' by at least %.2fx, but it was %.2fx [95%%: %.2f, %.2f], p=%.3g%s%n%s",
            approach, actual.baseline(), atLeast, r.speedup(), r.speedupLow(), r.speedupHigh(),
            r.pValue(), r.significant() ? "" : " (not significant)", actual.text()));
      }
      return this;
    }

    /**
     * The approach is not significantly slower than the baseline by more than the tolerance.
     *
     * @param approach the approach's name
     * @param maxSlowdown the slowdown tolerated, as a fraction (0.05 = 5%)
     * @return this
     */
    public ComparisonAssert isNotSlowerThanBaseline(String approach, double maxSlowdown) {
      isNotNull();
      Comparison.Result r = actual.result(approach);
      if (r.significant() && r.speedup() < 1 / (1 + maxSlowdown)) {
        failWithMessage("%s", String.format(Locale.ROOT, "Expected '%s' to be at most %.0f%% slower"
            + " than '%s', but it was %.2fx (%.0f%% slower) [95%%: %.2f, %.2f], p=%.3g%n%s",
            approach, maxSlowdown * 100, actual.baseline(), r.speedup(),
            (1 / r.speedup() - 1) * 100, r.speedupLow(), r.speedupHigh(), r.pValue(),
            actual.text()));
      }
      return this;
    }
  }

  /** Assertions on a regression report. */
  public static final class RegressionAssert
      extends AbstractAssert<RegressionAssert, RegressionReport> {

    RegressionAssert(RegressionReport actual) {
      super(actual, RegressionAssert.class);
    }

    /** @return this, when nothing regressed; otherwise fails listing each regression */
    public RegressionAssert hasNoRegressions() {
      isNotNull();
      if (actual.hasRegressions()) {
        StringBuilder out = new StringBuilder("Expected no performance regressions, but:");
        for (RegressionReport.Entry e : actual.regressions()) {
          out.append("\n  - ").append(e.explanation());
        }
        failWithMessage("%s", out.toString());
      }
      return this;
    }
  }
}
