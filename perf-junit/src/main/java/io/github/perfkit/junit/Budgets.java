package io.github.perfkit.junit;

import io.github.perfkit.core.Baseline;
import io.github.perfkit.core.CheckedRunnable;
import io.github.perfkit.core.RegressionCheck;
import io.github.perfkit.core.RegressionReport;
import io.github.perfkit.core.internal.Calibration;
import io.github.perfkit.core.internal.Format;
import io.github.perfkit.core.internal.Stats;
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
   * Where the fresh JVMs of a check come from: the test to re-run, how many JVMs in all, and where
   * a line for the user goes (a passing check that needed fresh JVMs says so; a recording that could
   * not start them says why).
   *
   * @param fresh the test to re-run in fresh JVMs, or null
   * @param unavailable why it cannot be re-run, when {@code fresh} is null
   * @param jvms JVMs a recording spans and a suspicious check is confirmed in, this one included
   * @param note where the line goes
   */
  record Confirmation(FreshJvms fresh, String unavailable, int jvms,
      java.util.function.Consumer<String> note) {

    /** @return no fresh JVMs (an assertion without a test method to re-run) */
    static Confirmation none() {
      return new Confirmation(null, "an assertion has no test method to re-run", 1, line -> { });
    }

    FreshJvms.Result measure(int count) {
      if (fresh == null) {
        return new FreshJvms.Result(List.of(), unavailable);
      }
      return fresh.measure(count);
    }
  }

  static Optional<String> baseline(SectionMeasurement m, Path file, double maxSlowdown,
      CheckedRunnable<?> section) throws Exception {
    return baseline(m, file, maxSlowdown, section, Confirmation.none());
  }

  /**
   * Compares with the baseline file's entry of the same name: missing file or entry (or the update
   * property set) records the measurement instead and passes. When a section is given, recording
   * also measures it interleaved with the calibration loop (in this JVM and, with
   * {@code confirmation.jvms() > 1}, in fresh JVMs, whose levels the entry keeps), and checking an
   * entry that has such ratios re-measures them: the verdict is that of the ratio
   * section/calibration against the baseline's (the raw times are reported too), so a machine
   * slower or faster as a whole at either end is not read as a change of the section. A check over
   * half the tolerance in this JVM is measured again in fresh JVMs, and the verdict is the median
   * over the JVMs, so code the JIT happened to compile slower in this JVM fails nothing.
   *
   * @param section the measured code to re-measure, or null (the failure then says it was not
   *     confirmed)
   */
  static synchronized Optional<String> baseline(SectionMeasurement m, Path file,
      double maxSlowdown, CheckedRunnable<?> section, Confirmation confirmation) throws Exception {
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
          double[] ratios = calibratedRatios(section, m);
          now = now.withCalibratedRatios(ratios);
          if (confirmation.jvms() > 1) {
            List<Double> levels = new ArrayList<>();
            levels.add(Calibration.level(ratios, Calibration.BLOCKS));
            FreshJvms.Result r = confirmation.measure(confirmation.jvms() - 1);
            r.runs().forEach(run -> levels.add(Calibration.level(run.ratios(), Calibration.BLOCKS)));
            if (levels.size() > 1) {
              now = now.withJvmRatios(levels);
            }
            if (r.problem() != null) {
              confirmation.note().accept(String.format(Locale.ROOT, "baseline entry '%s' recorded"
                  + " in %d of %d JVMs: %s", m.name(), levels.size(), confirmation.jvms(),
                  r.problem()));
            }
          }
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
        double reference = before.get().jvmRatios().size() > 1
            ? Stats.median(before.get().jvmRatioArray())
            : Calibration.level(base, baseBlocks);
        String against = before.get().jvmRatios().size() > 1
            ? "the median of the " + before.get().jvmRatios().size() + " JVMs that recorded it"
            : "the one JVM that recorded it";
        double[] ratios = calibratedRatios(section, m);
        int blocks = Calibration.BLOCKS;
        Calibration.Shift shift = Calibration.shift(base, baseBlocks, ratios, blocks, reference);
        // over the tolerance but within the noise band (a loaded machine): measure more blocks,
        // which narrow the band, up to three times as many in all
        for (int batch = 1; batch < MAX_BATCHES && shift.unclear(maxSlowdown); batch++) {
          double[] more = calibratedRatios(section, m);
          double[] all = Arrays.copyOf(ratios, ratios.length + more.length);
          System.arraycopy(more, 0, all, ratios.length, more.length);
          ratios = all;
          blocks += Calibration.BLOCKS;
          shift = Calibration.shift(base, baseBlocks, ratios, blocks, reference);
        }
        double rawChange = e.change();
        String jvms = "";
        if (shift.change() > 1 + maxSlowdown / 2 && confirmation.jvms() > 1) {
          // suspicious in this JVM: the JIT may have compiled the section into slower code here
          // than in the JVMs of the baseline (1 of 30 fresh JVMs ran unchanged code 16% slower); the
          // verdict becomes the median over this JVM and fresh ones
          FreshJvms.Result r = confirmation.measure(confirmation.jvms() - 1);
          double[] changes = new double[1 + r.runs().size()];
          double[] raw = new double[changes.length];
          changes[0] = shift.change();
          raw[0] = e.change();
          StringBuilder each = new StringBuilder();
          for (int i = 0; i < r.runs().size(); i++) {
            FreshJvms.Run run = r.runs().get(i);
            changes[i + 1] = Calibration.level(run.ratios(), Calibration.BLOCKS) / reference;
            raw[i + 1] = run.p50Nanos() / before.get().score();
            each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.1f%%",
                (changes[i + 1] - 1) * 100));
          }
          if (r.runs().isEmpty()) {
            jvms = "; not confirmed in a fresh JVM: " + r.problem();
          } else {
            double firstJvm = shift.change();
            shift = new Calibration.Shift(Stats.median(changes), shift.band(),
                shift.blocksBefore(), shift.blocksNow());
            rawChange = Stats.median(raw);
            jvms = String.format(Locale.ROOT, "; in this JVM %+.1f%%, in %d fresh JVM%s %s, the"
                + " median of the %d decides: %+.1f%%%s", (firstJvm - 1) * 100, r.runs().size(),
                r.runs().size() == 1 ? "" : "s", each, changes.length,
                (shift.change() - 1) * 100, r.problem() == null ? ""
                    : " (" + r.problem() + ")");
          }
        }
        String relative = shift.text() + ", against " + against + jvms;
        if (shift.unclear(maxSlowdown)) {
          throw new org.opentest4j.TestAbortedException(String.format(Locale.ROOT,
              "cannot tell whether '%s' is more than %.0f%% slower than the baseline %s: relative"
                  + " to a fixed CPU loop measured interleaved in the same JVM it is %s, within"
                  + " the noise of this machine; raw times: %s", m.name(), maxSlowdown * 100, file,
              relative, e.explanation()));
        }
        if (!shift.regressed(maxSlowdown)) {
          if (!jvms.isEmpty()) {
            confirmation.note().accept("'" + m.name() + "' is not more than "
                + Math.round(maxSlowdown * 100) + "% slower than the baseline: relative to a"
                + " fixed CPU loop " + relative);
          }
          return Optional.empty(); // the machine, not the section, changed speed (or noise)
        }
        if (!(rawChange >= 1)) {
          // the ratio says slower, the raw times say faster: the loop slowed down far more than
          // the section (other load), or the baseline came from a slower machine; the evidence
          // contradicts itself, so this run cannot tell. (A raw time merely under the tolerance
          // decides nothing: a baseline recorded while the machine was slow as a whole has high
          // raw times, which is what the calibration is for.)
          throw new org.opentest4j.TestAbortedException(String.format(Locale.ROOT,
              "cannot tell whether '%s' is more than %.0f%% slower than the baseline %s: relative"
                  + " to a fixed CPU loop measured interleaved in the same JVM it is %s, but its"
                  + " raw time is %+.1f%%, so the machine slowed the loop far more than the section"
                  + " (other load) or the baseline came from another machine; re-record the"
                  + " baseline on this machine when it is quiet, or run the check when it is",
              m.name(), maxSlowdown * 100, file, relative, (rawChange - 1) * 100));
        }
        detail = "relative to a fixed CPU loop measured interleaved in the same JVM (decisive): "
            + m.name() + " / calibration " + relative + "%n    raw times: " + e.explanation();
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

  /**
   * In a fresh JVM started by {@link FreshJvms}: measures the calibrated ratios and writes them,
   * with the median run time, for the JVM that started it.
   */
  static void measureForAnotherJvm(SectionMeasurement m, CheckedRunnable<?> section)
      throws Exception {
    FreshJvms.write(m.p50().toNanos(), calibratedRatios(section, m));
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
