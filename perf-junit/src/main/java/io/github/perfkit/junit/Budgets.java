package io.github.perfkit.junit;

import io.github.perfkit.core.Baseline;
import io.github.perfkit.core.RegressionCheck;
import io.github.perfkit.core.RegressionReport;
import io.github.perfkit.core.Reports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of one measurement against budgets; the messages the assertions and extension print. */
final class Budgets {

  /** {@code -Dperfkit.baseline.update=true} rewrites baseline entries instead of checking them. */
  static final String UPDATE_PROPERTY = "perfkit.baseline.update";

  private static final Pattern DURATION = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ns|us|µs|ms|s)\\s*");

  private Budgets() {}

  static Duration parseDuration(String parameter, String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(parameter + " must be a duration such as \"20ms\","
          + " \"1.5s\", \"300us\" or \"500ns\" but was \"" + text + "\"");
    }
    double value = Double.parseDouble(m.group(1));
    double nanos = switch (m.group(2)) {
      case "ns" -> value;
      case "us", "µs" -> value * 1e3;
      case "ms" -> value * 1e6;
      default -> value * 1e9;
    };
    return Duration.ofNanos(Math.round(nanos));
  }

  static Optional<String> latency(SectionMeasurement m, String label, Duration actual,
      Duration budget) {
    if (budget.isNegative()) {
      throw new IllegalArgumentException(label + " budget must be >= 0 but was " + budget);
    }
    if (actual.compareTo(budget) <= 0) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "%s was %s, budget %s (%+.1f%%) over %s", label,
        Reports.duration(actual.toNanos()), Reports.duration(budget.toNanos()),
        budget.isZero() ? Double.POSITIVE_INFINITY
            : (actual.toNanos() / (double) budget.toNanos() - 1) * 100, m.summary()));
  }

  static Optional<String> allocation(SectionMeasurement m, long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0 but was " + budgetBytes);
    }
    long actual = m.medianAllocatedBytes();
    if (actual < 0) {
      return Optional.of("allocation cannot be measured in this JVM, so the budget of "
          + Reports.bytes(budgetBytes) + " cannot be checked");
    }
    if (actual <= budgetBytes) {
      return Optional.empty();
    }
    return Optional.of("allocation per run was " + Reports.bytes(actual) + " (median of " + m.runs()
        + " runs), budget " + Reports.bytes(budgetBytes));
  }

  /**
   * Compares with the baseline file's entry of the same name: missing file or entry (or the update
   * property set) records the measurement instead and passes.
   */
  static synchronized Optional<String> baseline(SectionMeasurement m, Path file,
      double maxSlowdown) { // synchronized: tests running in parallel may share one file
    if (!(maxSlowdown >= 0 && maxSlowdown < 10)) {
      throw new IllegalArgumentException("maxSlowdown must be in [0, 10) but was " + maxSlowdown);
    }
    try {
      Baseline.Measurement now = m.toMeasurement();
      Baseline existing = Files.exists(file) ? Baseline.load(file) : null;
      Optional<Baseline.Measurement> before = existing == null ? Optional.empty()
          : existing.get(m.name());
      if (before.isEmpty() || Boolean.getBoolean(UPDATE_PROPERTY)) {
        List<Baseline.Measurement> all = new ArrayList<>();
        if (existing != null) {
          existing.measurements().stream().filter(x -> !x.name().equals(m.name()))
              .forEach(all::add);
        }
        all.add(now);
        Baseline.of(all).save(file);
        return Optional.empty();
      }
      RegressionReport.Entry e = RegressionCheck.against(existing).tolerance(maxSlowdown)
          .compare(before.get(), now);
      if (e.verdict() != RegressionReport.Verdict.REGRESSED) {
        return Optional.empty();
      }
      return Optional.of(String.format(Locale.ROOT, "more than %.0f%% slower than the baseline %s:"
          + " %s%n    (if the change is intended, re-record with -D%s=true)", maxSlowdown * 100,
          file, e.explanation(), UPDATE_PROPERTY));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the baseline " + file, e);
    }
  }

  static String failure(String what, List<String> problems) {
    StringBuilder out = new StringBuilder("Performance budget of ").append(what)
        .append(" exceeded:");
    for (String p : problems) {
      out.append("\n  - ").append(p);
    }
    return out.toString();
  }
}
