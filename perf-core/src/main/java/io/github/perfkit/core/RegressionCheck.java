package io.github.perfkit.core;

import io.github.perfkit.core.internal.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Checks a new run against a saved {@link Baseline}: each measurement is improved, unchanged or
 * regressed, with the noise taken into account, so a CI job can fail on a real slowdown and not on
 * a noisy machine.
 *
 * <pre>{@code
 * RegressionReport r = RegressionCheck.against(Baseline.load(Path.of("perf/baseline.json")))
 *     .tolerance(0.10)                       // ignore changes under 10%
 *     .check(Baseline.load(Path.of("jmh-result.json")));
 * if (r.hasRegressions()) { System.err.print(r.text()); System.exit(1); }
 * }</pre>
 *
 * <h2>The verdict</h2>
 * The change is the ratio of scores in the worse direction ({@code current / baseline} for times,
 * {@code baseline / current} for throughput: above 1 is worse).
 * <ul>
 *   <li>With at least 5 samples on each side: a Mann-Whitney U test and a 95% bootstrap interval of
 *       the ratio of medians. Regressed when {@code p < alpha}, the whole interval is above 1 and the
 *       change is above {@code 1 + tolerance}; improved in the mirror case; otherwise unchanged.
 *   <li>With JMH's score errors (its 99.9% intervals) and fewer samples: regressed when the intervals
 *       do not overlap and the change is beyond the tolerance.
 *   <li>With neither: the tolerance alone decides, and the report says there was no noise figure.
 * </ul>
 * Immutable once built; {@link #check} is thread-safe.
 *
 * <h2>From the command line (CI)</h2>
 * perf-core's jar alone runs it, for example after a JMH run:
 * <pre>
 * java -cp perf-core.jar io.github.perfkit.core.RegressionCheck [--tolerance 0.10] [--alpha 0.01]
 *     [--markdown] baseline.json current.json
 * </pre>
 * Either file may be a perfkit baseline or a JMH result file. It prints the report and exits with 0
 * when nothing regressed, 1 when something did, 2 on bad arguments or unreadable files.
 */
public final class RegressionCheck {

  private final Baseline baseline;
  private final double tolerance;
  private final double alpha;
  private final long seed;

  private RegressionCheck(Baseline baseline, double tolerance, double alpha, long seed) {
    this.baseline = baseline;
    this.tolerance = tolerance;
    this.alpha = alpha;
    this.seed = seed;
  }

  /**
   * @param baseline what a run is compared with
   * @return a check with tolerance 5% and alpha 0.01
   */
  public static RegressionCheck against(Baseline baseline) {
    return new RegressionCheck(Objects.requireNonNull(baseline, "baseline"), 0.05, 0.01, 42);
  }

  /**
   * @param tolerance the smallest change that counts, as a fraction in [0, 10) (default 0.05)
   * @return a check with this tolerance
   */
  public RegressionCheck tolerance(double tolerance) {
    if (!(tolerance >= 0 && tolerance < 10)) {
      throw new IllegalArgumentException("tolerance must be in [0, 10) but was " + tolerance);
    }
    return new RegressionCheck(baseline, tolerance, alpha, seed);
  }

  /**
   * @param alpha the significance level, in (0, 0.5) (default 0.01)
   * @return a check with this level
   */
  public RegressionCheck alpha(double alpha) {
    if (!(alpha > 0 && alpha < 0.5)) {
      throw new IllegalArgumentException("alpha must be in (0, 0.5) but was " + alpha);
    }
    return new RegressionCheck(baseline, tolerance, alpha, seed);
  }

  /**
   * Compares every measurement of the current run with the baseline's of the same name.
   *
   * @param current the new run
   * @return one entry per name of either side
   */
  public RegressionReport check(Baseline current) {
    Objects.requireNonNull(current, "current");
    List<RegressionReport.Entry> entries = new ArrayList<>();
    for (Baseline.Measurement now : current.measurements()) {
      Baseline.Measurement before = baseline.get(now.name()).orElse(null);
      entries.add(before == null ? RegressionReport.Entry.onlyOneSide(now, RegressionReport.Verdict.NEW)
          : compare(before, now));
    }
    for (Baseline.Measurement before : baseline.measurements()) {
      if (current.get(before.name()).isEmpty()) {
        entries.add(RegressionReport.Entry.onlyOneSide(before, RegressionReport.Verdict.MISSING));
      }
    }
    return new RegressionReport(tolerance, alpha, entries);
  }

  /**
   * Compares one measurement with its baseline.
   *
   * @param before the baseline's
   * @param now the current run's (same name, unit and direction)
   * @return the entry
   */
  public RegressionReport.Entry compare(Baseline.Measurement before, Baseline.Measurement now) {
    if (!before.unit().equals(now.unit()) || before.higherIsBetter() != now.higherIsBetter()) {
      throw new IllegalArgumentException("'" + now.name() + "' is in " + now.unit()
          + " now but in " + before.unit() + " in the baseline; re-record the baseline");
    }
    boolean higher = now.higherIsBetter();
    double change = worse(before.score(), now.score(), higher);
    double low = Double.NaN;
    double high = Double.NaN;
    double p = Double.NaN;
    String method;
    RegressionReport.Verdict verdict = RegressionReport.Verdict.UNCHANGED;
    if (before.samples().size() >= 5 && now.samples().size() >= 5) {
      double[] a = before.sampleArray();
      double[] b = now.sampleArray();
      double[] sa = a.clone();
      double[] sb = b.clone();
      Arrays.sort(sa);
      Arrays.sort(sb);
      change = worse(Baseline.median(sa), Baseline.median(sb), higher);
      double[] ci = Stats.bootstrapRatioOfMedians(a, b, 0.95, 2_000, seed); // median(b)/median(a)
      low = higher ? 1 / ci[1] : ci[0];
      high = higher ? 1 / ci[0] : ci[1];
      p = Stats.mannWhitneyP(a, b);
      method = "Mann-Whitney U and a 95% bootstrap interval of the ratio of medians";
      if (p < alpha && low > 1 && change > 1 + tolerance) {
        verdict = RegressionReport.Verdict.REGRESSED;
      } else if (p < alpha && high < 1 && change < 1 / (1 + tolerance)) {
        verdict = RegressionReport.Verdict.IMPROVED;
      }
    } else if (!Double.isNaN(before.scoreError()) && !Double.isNaN(now.scoreError())) {
      double bLow = before.score() - before.scoreError();
      double bHigh = before.score() + before.scoreError();
      double nLow = now.score() - now.scoreError();
      double nHigh = now.score() + now.scoreError();
      method = String.format(java.util.Locale.ROOT, "the sources' confidence intervals (JMH:"
          + " 99.9%%): baseline %.4g..%.4g, current %.4g..%.4g", bLow, bHigh, nLow, nHigh);
      boolean disjoint = nLow > bHigh || nHigh < bLow;
      boolean nowWorse = higher ? nHigh < bLow : nLow > bHigh;
      if (disjoint && nowWorse && change > 1 + tolerance) {
        verdict = RegressionReport.Verdict.REGRESSED;
      } else if (disjoint && !nowWorse && change < 1 / (1 + tolerance)) {
        verdict = RegressionReport.Verdict.IMPROVED;
      }
    } else {
      method = "no noise figures (fewer than 5 samples and no score error): tolerance only";
      if (change > 1 + tolerance) {
        verdict = RegressionReport.Verdict.REGRESSED;
      } else if (change < 1 / (1 + tolerance)) {
        verdict = RegressionReport.Verdict.IMPROVED;
      }
    }
    return new RegressionReport.Entry(now.name(), now.unit(), verdict, before.score(), now.score(),
        change, low, high, p, method);
  }

  /**
   * Command-line entry point; see the class documentation.
   *
   * @param args options and the two files
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * The command line, without exiting.
   *
   * @param args options and the two files
   * @param out where the report goes
   * @param err where errors go
   * @return 0 nothing regressed, 1 regressions, 2 bad arguments or files
   */
  static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
    double tolerance = 0.05;
    double alpha = 0.01;
    boolean markdown = false;
    List<String> files = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--tolerance" -> tolerance = Double.parseDouble(value(args, ++i, "--tolerance"));
          case "--alpha" -> alpha = Double.parseDouble(value(args, ++i, "--alpha"));
          case "--markdown" -> markdown = true;
          default -> {
            if (args[i].startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + args[i]);
            }
            files.add(args[i]);
          }
        }
      }
      if (files.size() != 2) {
        throw new IllegalArgumentException("expected two files (baseline, current) but got "
            + files.size());
      }
      RegressionReport report = against(Baseline.load(java.nio.file.Path.of(files.get(0))))
          .tolerance(tolerance).alpha(alpha).check(Baseline.load(java.nio.file.Path.of(files.get(1))));
      out.print(markdown ? report.markdown() : report.text());
      return report.hasRegressions() ? 1 : 0;
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("regression check: " + e.getMessage());
      err.println("usage: java -cp perf-core.jar io.github.perfkit.core.RegressionCheck"
          + " [--tolerance 0.05] [--alpha 0.01] [--markdown] baseline.json current.json");
      return 2;
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** Ratio above 1 when {@code now} is worse than {@code before}. */
  private static double worse(double before, double now, boolean higherIsBetter) {
    if (higherIsBetter) {
      return now == 0 ? Double.POSITIVE_INFINITY : before / now;
    }
    return before == 0 ? (now == 0 ? 1 : Double.POSITIVE_INFINITY) : now / before;
  }
}
