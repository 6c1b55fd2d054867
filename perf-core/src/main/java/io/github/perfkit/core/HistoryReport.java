package io.github.perfkit.core;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link RegressionCheck#changes()} found in a {@link RunHistory}: for each measurement, the
 * runs where its level moved and the size of each step. Immutable and thread-safe.
 *
 * @param runs how many runs the history had
 * @param tolerance the smallest step that counted
 * @param alpha the significance level of each permutation test
 * @param measurements one per measurement name, in order of first appearance
 */
public record HistoryReport(int runs, double tolerance, double alpha,
    List<MeasurementHistory> measurements) {

  /** Copies the list. */
  public HistoryReport {
    measurements = List.copyOf(measurements);
  }

  /**
   * One step: the level before and after the run where it moved.
   *
   * @param index the position in the history (0 = oldest) of the first run at the new level
   * @param run that run's id (the commit or CI run that moved it)
   * @param before the median score of the runs since the previous step
   * @param after the median score of the runs up to the next step
   * @param step {@code after / before - 1}, signed: +0.15 is 15% higher
   * @param regressed whether the new level is worse (higher time, or lower throughput)
   * @param pValue the permutation test's p-value
   */
  public record Change(int index, String run, double before, double after, double step,
      boolean regressed, double pValue) {}

  /**
   * One measurement's changes.
   *
   * @param name the measurement
   * @param unit its unit
   * @param runs how many runs had it
   * @param changes the steps beyond the tolerance, oldest first (empty: no change)
   */
  public record MeasurementHistory(String name, String unit, int runs, List<Change> changes) {
    /** Validates and copies. */
    public MeasurementHistory {
      Objects.requireNonNull(name, "name");
      changes = List.copyOf(changes);
    }

    /** @return whether the latest step made it worse: the current level is a regression */
    public boolean regressedLast() {
      return !changes.isEmpty() && changes.get(changes.size() - 1).regressed();
    }
  }

  /**
   * @param name a measurement
   * @return its history
   * @throws IllegalArgumentException if there is none
   */
  public MeasurementHistory measurement(String name) {
    return measurements.stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no measurement '" + name + "'"));
  }

  /** @return whether any measurement's latest step is a regression (the CLI then exits with 1) */
  public boolean hasRegressions() {
    return measurements.stream().anyMatch(MeasurementHistory::regressedLast);
  }

  /** @return one line per change (or per unchanged measurement) */
  public String text() {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "History check of %d runs (tolerance %.0f%%, alpha %.2g, E-divisive means): %d of %d"
            + " measurements moved%n", runs, tolerance * 100, alpha,
        measurements.stream().filter(m -> !m.changes().isEmpty()).count(), measurements.size()));
    for (MeasurementHistory m : measurements) {
      if (m.changes().isEmpty()) {
        out.append(String.format(Locale.ROOT, "  %s: no change in %d runs%n", m.name(), m.runs()));
      }
      for (Change c : m.changes()) {
        out.append(String.format(Locale.ROOT,
            "  %s: %s at run %s (#%d): %.4g -> %.4g %s, %+.1f%% (p=%.3g)%n", m.name(),
            c.regressed() ? "REGRESSED" : "IMPROVED", c.run(), c.index(), c.before(), c.after(),
            m.unit(), c.step() * 100, c.pValue()));
      }
    }
    return out.toString();
  }

  /** @return a Markdown heading and one table row per change */
  public String markdown() {
    StringBuilder out = new StringBuilder("## ")
        .append(text().lines().findFirst().orElse("History check")).append("\n\n")
        .append("| measurement | run | # | before | after | step | p |\n")
        .append("|---|---|---:|---:|---:|---:|---:|\n");
    for (MeasurementHistory m : measurements) {
      for (Change c : m.changes()) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4g | %.4g | %s%+.1f%%%s | %.3g |%n",
            m.name().replace("|", "\\|"), c.run().replace("|", "\\|"), c.index(), c.before(),
            c.after(), c.regressed() ? "**" : "", c.step() * 100, c.regressed() ? "**" : "",
            c.pValue()));
      }
    }
    return out.toString();
  }
}
