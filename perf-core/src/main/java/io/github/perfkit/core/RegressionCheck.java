package io.github.perfkit.core;

import io.github.perfkit.core.internal.ChangePoints;
import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *       change is above {@code 1 + tolerance} and above {@code 1 + spread}, the run-to-run spread
 *       read from both sides' block medians ({@link Baseline.Measurement#blockMedians()}: two
 *       standard deviations of the difference of one block's log median and another's); improved
 *       in the mirror case; otherwise unchanged. The samples of one run are not independent draws
 *       (JIT, load and CPU frequency drift between runs), so a significant p alone is not enough.
 *       Without block medians on either side (schema 1 baselines) the spread is unknown, the rule
 *       is the tolerance and the within-run test, and the entry's method says so.
 *       A score of zero on either side (work below the timer's resolution) has no ratio: the
 *       verdict is {@link RegressionReport.Verdict#INCONCLUSIVE}, never a regression.
 *   <li>With JMH's score errors (its 99.9% intervals) and fewer samples: regressed when the intervals
 *       do not overlap and the change is beyond the tolerance.
 *   <li>With neither: the tolerance alone decides, and the report says there was no noise figure.
 * </ul>
 * Immutable once built; {@link #check} is thread-safe.
 *
 * <h2>A history of runs</h2>
 * A two-point check sees one run's noise; a {@link RunHistory} (one JSON line per CI run) shows
 * where a level moved for good. {@code RegressionCheck.against(RunHistory.load(path)).changes()}
 * names the run (commit) of each step and its size; see {@link #changes()}.
 *
 * <h2>From the command line (CI)</h2>
 * {@link io.github.perfkit.core.cli.RegressionCheckCli} runs this check from perf-core's jar alone,
 * for example after a JMH run.
 */
public final class RegressionCheck {

  /** Shuffles per permutation test of {@link #changes()}. */
  static final int PERMUTATIONS = 999;
  /** The fewest runs on each side of a change. */
  static final int MIN_SEGMENT = 3;

  private final Baseline baseline;
  private final RunHistory history;
  private final double tolerance;
  private final double alpha;
  private final long seed;

  private RegressionCheck(Baseline baseline, RunHistory history, double tolerance, double alpha,
      long seed) {
    this.baseline = baseline;
    this.history = history;
    this.tolerance = tolerance;
    this.alpha = alpha;
    this.seed = seed;
  }

  /**
   * @param baseline what a run is compared with
   * @return a check with tolerance 5% and alpha 0.01
   */
  public static RegressionCheck against(Baseline baseline) {
    return new RegressionCheck(Objects.requireNonNull(baseline, "baseline"), null, 0.05, 0.01, 42);
  }

  /**
   * A check over a history of runs: {@link #changes()} finds where each measurement moved, and
   * {@link #check(Baseline)} compares a new run with the history's latest.
   *
   * @param history the runs, oldest first; at least one
   * @return a check with tolerance 5% and alpha 0.05 (each change must also exceed the tolerance,
   *     which keeps a flat history quiet; see {@link #changes()})
   * @throws IllegalArgumentException if the history is empty
   */
  public static RegressionCheck against(RunHistory history) {
    Require.notNull(history, "history");
    if (history.runs().isEmpty()) {
      throw new IllegalArgumentException("history must have at least one run but had none");
    }
    List<RunHistory.Run> runs = history.runs();
    return new RegressionCheck(runs.get(runs.size() - 1).baseline(), history, 0.05, 0.05, 42);
  }

  /**
   * Finds the runs where each measurement of the history changed level, with E-divisive means
   * (Matteson and James 2014; the method of MongoDB's CI and Apache Otava): the series of a
   * measurement's scores is split where the energy distance between the two sides is largest, the
   * split is kept when a permutation test ({@value #PERMUTATIONS} shuffles, seeded: the same history
   * gives the same answer) gives {@code p < alpha}, and both sides are searched again. Each side
   * of a change has at least {@value #MIN_SEGMENT} runs, so a change in the last two runs is not
   * found yet. A step is reported when its medians differ by more than the tolerance. Cost: a few
   * milliseconds per measurement for 30 runs, growing with the square of the runs.
   *
   * @return each measurement's changes
   * @throws IllegalStateException if this check was made from a single baseline
   */
  public HistoryReport changes() {
    Require.state(history != null, "changes() needs a check made with against(RunHistory)");
    Map<String, List<Integer>> indexes = new LinkedHashMap<>();
    Map<String, List<Double>> scores = new LinkedHashMap<>();
    Map<String, Baseline.Measurement> first = new LinkedHashMap<>();
    List<RunHistory.Run> runs = history.runs();
    for (int r = 0; r < runs.size(); r++) {
      for (Baseline.Measurement m : runs.get(r).baseline().measurements()) {
        first.putIfAbsent(m.name(), m);
        indexes.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(r);
        scores.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m.score());
      }
    }
    List<HistoryReport.MeasurementHistory> out = new ArrayList<>();
    for (Map.Entry<String, Baseline.Measurement> e : first.entrySet()) {
      String name = e.getKey();
      double[] series = scores.get(name).stream().mapToDouble(Double::doubleValue).toArray();
      List<ChangePoints.Split> splits = ChangePoints.find(series, alpha, PERMUTATIONS, MIN_SEGMENT,
          seed ^ name.hashCode());
      List<HistoryReport.Change> changes = new ArrayList<>();
      for (int i = 0; i < splits.size(); i++) {
        int from = i == 0 ? 0 : splits.get(i - 1).index();
        int at = splits.get(i).index();
        int to = i + 1 < splits.size() ? splits.get(i + 1).index() : series.length;
        double before = medianOf(series, from, at);
        double after = medianOf(series, at, to);
        double step = before == 0 ? Double.POSITIVE_INFINITY : after / before - 1;
        if (Math.abs(step) <= tolerance) {
          continue;
        }
        boolean regressed = e.getValue().higherIsBetter() ? after < before : after > before;
        int run = indexes.get(name).get(at);
        changes.add(new HistoryReport.Change(run, runs.get(run).id(), before, after, step,
            regressed, splits.get(i).p()));
      }
      out.add(new HistoryReport.MeasurementHistory(name, e.getValue().unit(), series.length,
          changes));
    }
    return new HistoryReport(runs.size(), tolerance, alpha, out);
  }

  private static double medianOf(double[] series, int from, int to) {
    double[] part = Arrays.copyOfRange(series, from, to);
    Arrays.sort(part);
    return Baseline.median(part);
  }

  /**
   * @param tolerance the smallest change that counts, as a fraction in [0, 10) (default 0.05)
   * @return a check with this tolerance
   */
  public RegressionCheck tolerance(double tolerance) {
    if (!(tolerance >= 0 && tolerance < 10)) {
      throw new IllegalArgumentException("tolerance must be in [0, 10) but was " + tolerance);
    }
    return new RegressionCheck(baseline, history, tolerance, alpha, seed);
  }

  /**
   * @param alpha the significance level, in (0, 0.5) (default 0.01)
   * @return a check with this level
   */
  public RegressionCheck alpha(double alpha) {
    if (!(alpha > 0 && alpha < 0.5)) {
      throw new IllegalArgumentException("alpha must be in (0, 0.5) but was " + alpha);
    }
    return new RegressionCheck(baseline, history, tolerance, alpha, seed);
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
    if (before.score() == 0 || now.score() == 0) {
      return new RegressionReport.Entry(now.name(), now.unit(), RegressionReport.Verdict.INCONCLUSIVE,
          before.score(), now.score(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          "a score of 0 " + now.unit() + (before.score() == 0 ? " in the baseline" : " now")
              + " (below the timer's resolution?) has no ratio; measure more calls per sample");
    }
    double change = worse(before.score(), now.score(), higher);
    double low = Double.NaN;
    double high = Double.NaN;
    double p = Double.NaN;
    double spread = Double.NaN;
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
      spread = spread(before, now);
      method = "Mann-Whitney U and a 95% bootstrap interval of the ratio of medians";
      double beyond = 1 + tolerance;
      if (Double.isNaN(spread)) {
        method += "; run-to-run spread unknown (a baseline without block medians, e.g. schema"
            + " perfkit.baseline/1: re-record it), so only the within-run noise was judged";
      } else {
        beyond = Math.max(beyond, 1 + spread);
        method += String.format(java.util.Locale.ROOT, "; beyond the run-to-run spread of"
            + " %.1f%% (two standard deviations of the difference of block medians)",
            spread * 100);
      }
      if (p < alpha && low > 1 && change > beyond) {
        verdict = RegressionReport.Verdict.REGRESSED;
      } else if (p < alpha && high < 1 && change < 1 / beyond) {
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
        change, low, high, p, method, spread);
  }

  /**
   * The run-to-run spread as a fraction: {@code exp(2 sqrt(var(log b) + var(log n))) - 1} over the
   * block medians of both sides (the spread of the difference between one stretch of a run and
   * one of the other, a stand-in for the difference between two runs), or NaN when either side has
   * fewer than 3 block medians.
   */
  static double spread(Baseline.Measurement before, Baseline.Measurement now) {
    if (before.blockMedians().size() < 3 || now.blockMedians().size() < 3) {
      return Double.NaN;
    }
    double v = logVariance(before.blockMedianArray()) + logVariance(now.blockMedianArray());
    return Double.isNaN(v) ? Double.NaN : Math.exp(2 * Math.sqrt(v)) - 1;
  }

  private static double logVariance(double[] values) {
    double sum = 0;
    for (double v : values) {
      if (!(v > 0)) {
        return Double.NaN;
      }
      sum += Math.log(v);
    }
    double mean = sum / values.length;
    double squares = 0;
    for (double v : values) {
      squares += (Math.log(v) - mean) * (Math.log(v) - mean);
    }
    return squares / (values.length - 1);
  }

  /** Ratio above 1 when {@code now} is worse than {@code before}. */
  private static double worse(double before, double now, boolean higherIsBetter) {
    if (higherIsBetter) {
      return now == 0 ? Double.POSITIVE_INFINITY : before / now;
    }
    return before == 0 ? (now == 0 ? 1 : Double.POSITIVE_INFINITY) : now / before;
  }
}
