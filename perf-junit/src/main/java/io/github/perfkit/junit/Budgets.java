package io.github.perfkit.junit;

import io.github.perfkit.core.Baseline;
import io.github.perfkit.core.CheckedRunnable;
import io.github.perfkit.core.RegressionCheck;
import io.github.perfkit.core.RegressionReport;
import io.github.perfkit.core.internal.Calibration;
import io.github.perfkit.core.internal.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
        Format.duration(actual.toNanos()), Format.duration(budget.toNanos()),
        budget.isZero() ? Double.POSITIVE_INFINITY
            : (actual.toNanos() / (double) budget.toNanos() - 1) * 100, m.text()));
  }

  static Optional<String> allocation(SectionMeasurement m, long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0 but was " + budgetBytes);
    }
    long actual = m.medianAllocatedBytes();
    if (actual < 0) {
      return Optional.of("allocation cannot be measured in this JVM, so the budget of "
          + Format.bytes(budgetBytes) + " cannot be checked");
    }
    if (actual <= budgetBytes) {
      return Optional.empty();
    }
    return Optional.of("allocation per run was " + Format.bytes(actual) + " (median of " + m.runs()
        + " runs), budget " + Format.bytes(budgetBytes));
  }

  /**
   * Compares with the baseline file's entry of the same name: missing file or entry (or the update
   * property set) records the measurement instead and passes. When a section is given, recording
   * also measures it interleaved with the calibration loop, and checking an entry that has such
   * ratios re-measures them: the verdict is that of the ratio section/calibration against the
   * baseline's (the raw times are reported too), so a machine slower or faster as a whole at either
   * end is not read as a change of the section.
   *
   * @param section the measured code to re-measure, or null (the failure then says it was not
   *     confirmed)
   */
  static synchronized Optional<String> baseline(SectionMeasurement m, Path file,
      double maxSlowdown, CheckedRunnable<?> section) throws Exception {
    // synchronized: tests running in parallel may share one file
    if (!(maxSlowdown >= 0 && maxSlowdown < 10)) {
      throw new IllegalArgumentException("maxSlowdown must be in [0, 10) but was " + maxSlowdown);
    }
    try {
      Baseline.Measurement now = m.toMeasurement();
      Baseline existing = Files.exists(file) ? Baseline.load(file) : null;
      Optional<Baseline.Measurement> before = existing == null ? Optional.empty()
          : existing.get(m.name());
      if (before.isEmpty() || Boolean.getBoolean(UPDATE_PROPERTY)) {
        if (section != null) {
          now = now.withCalibratedRatios(calibratedRatios(section, m));
        }
        List<Baseline.Measurement> all = new ArrayList<>();
        if (existing != null) {
          existing.measurements().stream().filter(x -> !x.name().equals(m.name()))
              .forEach(all::add);
        }
        all.add(now);
        Baseline.of(all).save(file);
        return Optional.empty();
      }
      RegressionCheck check = RegressionCheck.against(existing).tolerance(maxSlowdown);
      RegressionReport.Entry e = check.compare(before.get(), now);
      boolean regressed = e.verdict() == RegressionReport.Verdict.REGRESSED;
      String detail;
      if (section != null && before.get().calibratedRatios().size() >= MIN_CALIBRATED) {
        // decisive: the section's time relative to the calibration loop, against the baseline's,
        // each the median of block medians spread over seconds; measured even when the raw times
        // look fine (the baseline may come from a slower machine)
        double[] base = before.get().calibratedRatioArray();
        int baseBlocks = Math.min(Calibration.BLOCKS, base.length / Calibration.MIN_BLOCK_ROUNDS);
        double[] ratios = calibratedRatios(section, m);
        int blocks = Calibration.BLOCKS;
        Calibration.Shift shift = Calibration.shift(base, baseBlocks, ratios, blocks);
        // over the tolerance but within the noise band (a loaded machine): measure more blocks,
        // which narrow the band, up to three times as many in all
        for (int batch = 1; batch < MAX_BATCHES && shift.unclear(maxSlowdown); batch++) {
          double[] more = calibratedRatios(section, m);
          double[] all = Arrays.copyOf(ratios, ratios.length + more.length);
          System.arraycopy(more, 0, all, ratios.length, more.length);
          ratios = all;
          blocks += Calibration.BLOCKS;
          shift = Calibration.shift(base, baseBlocks, ratios, blocks);
        }
        if (shift.unclear(maxSlowdown)) {
          throw new org.opentest4j.TestAbortedException(String.format(Locale.ROOT,
              "cannot tell whether '%s' is more than %.0f%% slower than the baseline %s: relative"
                  + " to a fixed CPU loop measured interleaved in this JVM it is %s, within the"
                  + " noise of this machine; raw times: %s", m.name(), maxSlowdown * 100, file,
              shift.text(), e.explanation()));
        }
        if (!shift.regressed(maxSlowdown)) {
          return Optional.empty(); // the machine, not the section, changed speed (or noise)
        }
        if (!(e.change() > 1 + maxSlowdown)) {
          // the ratio says slower, the raw times do not: the loop and the section were slowed
          // unequally (a co-runner on the core's sibling hyperthread slows branchy code more than
          // the loop), or the baseline came from a slower machine; either way this run cannot tell
          throw new org.opentest4j.TestAbortedException(String.format(Locale.ROOT,
              "cannot tell whether '%s' is more than %.0f%% slower than the baseline %s: relative"
                  + " to a fixed CPU loop measured interleaved in this JVM it is %s, but its raw"
                  + " time is %+.1f%%, so the machine slowed the section and the loop unequally"
                  + " (other load) or the baseline came from another machine; re-record the"
                  + " baseline on this machine when it is quiet, or run the check when it is",
              m.name(), maxSlowdown * 100, file, shift.text(), (e.change() - 1) * 100));
        }
        detail = "relative to a fixed CPU loop measured interleaved in this JVM (decisive): "
            + m.name() + " / calibration " + shift.text() + "%n    raw times: " + e.explanation();
      } else if (!regressed) {
        return Optional.empty();
      } else if (section == null) {
        detail = e.explanation() + "%n    not confirmed by a re-measurement next to a calibration"
            + " loop: this assertion does not have the section (use assertThatSection(name,"
            + " section) or @PerfBudget)";
      } else {
        detail = e.explanation() + "%n    not confirmed by a re-measurement next to a calibration"
            + " loop: the baseline entry has none (recorded before perfkit.baseline/2); re-record"
            + " it with -D" + UPDATE_PROPERTY + "=true so that a slower machine is told from a"
            + " slower section";
      }
      return Optional.of(String.format(Locale.ROOT, "more than %.0f%% slower than the baseline %s:"
          + "%n    " + detail.replace("%", "%%").replace("%%n", "%n")
          + "%n    (if the change is intended, re-record with -D%s=true)", maxSlowdown * 100,
          file, UPDATE_PROPERTY));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the baseline " + file, e);
    }
  }

  /** Batches of calibrated rounds at most, when the first is over the tolerance but unclear. */
  static final int MAX_BATCHES = 3;

  /** The fewest calibrated ratios a baseline entry needs for a confirmation. */
  static final int MIN_CALIBRATED = 10;

  /**
   * Rounds of section and calibration loop, interleaved: {@link Calibration#BLOCKS} blocks of at
   * least a quarter of a second each, so that the measurement spans the stretches in which a shared
   * machine runs the two at different relative speeds.
   */
  private static double[] calibratedRatios(CheckedRunnable<?> section, SectionMeasurement m)
      throws Exception {
    int rounds = Calibration.BLOCKS * Calibration.roundsPerBlock(m.p50().toNanos());
    return Calibration.ratios(section::run, m.p50().toNanos(), rounds, m.name().hashCode());
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
