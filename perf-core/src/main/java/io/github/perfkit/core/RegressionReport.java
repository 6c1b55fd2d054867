package io.github.perfkit.core;

import io.github.perfkit.core.internal.Json;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link RegressionCheck} found: one entry per measurement. Immutable and thread-safe.
 *
 * @param tolerance the smallest change that counted
 * @param alpha the significance level used
 * @param entries one per measurement name of either side, current run first
 */
public record RegressionReport(double tolerance, double alpha, List<Entry> entries) {

  /** Copies the entries. */
  public RegressionReport {
    entries = List.copyOf(entries);
  }

  /** The outcome for one measurement. */
  public enum Verdict {
    /** Better beyond the noise and the tolerance. */
    IMPROVED,
    /** Within the noise or the tolerance. */
    UNCHANGED,
    /** Worse beyond the noise and the tolerance. */
    REGRESSED,
    /** In the current run only. */
    NEW,
    /** In the baseline only. */
    MISSING,
    /**
     * The figures cannot tell: a score of zero on either side (work below the timer's resolution,
     * where a ratio is undefined). Never counted as a regression; measure more calls per sample.
     */
    INCONCLUSIVE
  }

  /**
   * One measurement's comparison.
   *
   * @param name the measurement
   * @param unit its unit
   * @param verdict the outcome
   * @param baselineScore the baseline's score (NaN for {@link Verdict#NEW})
   * @param currentScore the current score (NaN for {@link Verdict#MISSING})
   * @param change worse-direction ratio: above 1 is slower (or less throughput)
   * @param changeLow lower end of its interval, or NaN
   * @param changeHigh upper end of its interval, or NaN
   * @param pValue the Mann-Whitney p-value, or NaN when samples were too few
   * @param method how the noise was judged
   * @param spread the run-to-run spread the change had to exceed, as a fraction (0.08 = 8%), or
   *     NaN when unknown
   */
  public record Entry(String name, String unit, Verdict verdict, double baselineScore,
      double currentScore, double change, double changeLow, double changeHigh, double pValue,
      String method, double spread) {

    /** Validates. */
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(verdict, "verdict");
    }

    /**
     * An entry without a spread figure (the constructor before the run-to-run spread).
     *
     * @param name the measurement
     * @param unit its unit
     * @param verdict the outcome
     * @param baselineScore the baseline's score
     * @param currentScore the current score
     * @param change worse-direction ratio
     * @param changeLow lower end of its interval, or NaN
     * @param changeHigh upper end of its interval, or NaN
     * @param pValue the p-value, or NaN
     * @param method how the noise was judged
     */
    public Entry(String name, String unit, Verdict verdict, double baselineScore,
        double currentScore, double change, double changeLow, double changeHigh, double pValue,
        String method) {
      this(name, unit, verdict, baselineScore, currentScore, change, changeLow, changeHigh, pValue,
          method, Double.NaN);
    }

    static Entry onlyOneSide(Baseline.Measurement m, Verdict verdict) {
      boolean isNew = verdict == Verdict.NEW;
      return new Entry(m.name(), m.unit(), verdict, isNew ? Double.NaN : m.score(),
          isNew ? m.score() : Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          isNew ? "not in the baseline" : "not in the current run");
    }

    /** @return one sentence: the verdict, the change with its interval, and the method */
    public String explanation() {
      if (verdict == Verdict.NEW || verdict == Verdict.MISSING || Double.isNaN(change)) {
        return name + ": " + verdict + " (" + num(baselineScore) + " -> " + num(currentScore) + " "
            + unit + "; " + method + ")";
      }
      String pct = String.format(Locale.ROOT, "%+.1f%%", (change - 1) * 100);
      String interval = Double.isNaN(changeLow) || Double.isNaN(changeHigh) ? ""
          : String.format(Locale.ROOT, " [95%%: %+.1f%%, %+.1f%%]", (changeLow - 1) * 100,
              (changeHigh - 1) * 100);
      String p = Double.isNaN(pValue) ? "" : String.format(Locale.ROOT, ", p=%.3g", pValue);
      return String.format(Locale.ROOT, "%s: %s, %s worse%s%s (%s -> %s %s; %s)", name, verdict,
          pct, interval, p, num(baselineScore), num(currentScore), unit, method);
    }
  }

  /** @return the regressed entries */
  public List<Entry> regressions() {
    return entries.stream().filter(e -> e.verdict() == Verdict.REGRESSED).toList();
  }

  /** @return whether anything regressed */
  public boolean hasRegressions() {
    return entries.stream().anyMatch(e -> e.verdict() == Verdict.REGRESSED);
  }

  /**
   * @param name a measurement
   * @return its entry
   * @throws IllegalArgumentException if there is none
   */
  public Entry entry(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no measurement '" + name + "'"));
  }

  /** @return a plain-text report, regressions first */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Regression check (tolerance %.0f%%, alpha %.2g): %d"
        + " regressed, %d improved, %d unchanged, %d new, %d missing%s%n", tolerance * 100, alpha,
        count(Verdict.REGRESSED), count(Verdict.IMPROVED), count(Verdict.UNCHANGED),
        count(Verdict.NEW), count(Verdict.MISSING), count(Verdict.INCONCLUSIVE) == 0 ? ""
            : ", " + count(Verdict.INCONCLUSIVE) + " inconclusive"));
    for (Verdict v : List.of(Verdict.REGRESSED, Verdict.IMPROVED, Verdict.UNCHANGED, Verdict.NEW,
        Verdict.MISSING, Verdict.INCONCLUSIVE)) {
      for (Entry e : entries) {
        if (e.verdict() == v) {
          out.append("  ").append(e.explanation()).append('\n');
        }
      }
    }
    return out.toString();
  }

  /**
   * @return a Markdown heading with the counts of {@link #text()}'s first line, then one table row
   *     per measurement (regressions in bold)
   */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("## ").append(text().lines().findFirst().orElse("Regression check")).append("\n\n");
    out.append("| measurement | verdict | baseline | current | change | 95% interval | p |\n");
    out.append("|---|---|---:|---:|---:|---|---:|\n");
    for (Entry e : entries) {
      out.append(String.format(Locale.ROOT, "| %s | %s%s | %s | %s | %s | %s | %s |%n",
          e.name().replace("|", "\\|"), e.verdict() == Verdict.REGRESSED ? "**" : "",
          e.verdict() + (e.verdict() == Verdict.REGRESSED ? "**" : ""), num(e.baselineScore()),
          num(e.currentScore()), Double.isNaN(e.change()) ? ""
              : String.format(Locale.ROOT, "%+.1f%%", (e.change() - 1) * 100),
          Double.isNaN(e.changeLow()) || Double.isNaN(e.changeHigh()) ? ""
              : String.format(Locale.ROOT, "%+.1f%% .. %+.1f%%", (e.changeLow() - 1) * 100,
                  (e.changeHigh() - 1) * 100),
          Double.isNaN(e.pValue()) ? "" : String.format(Locale.ROOT, "%.3g", e.pValue())));
    }
    return out.toString();
  }

  /**
   * @return JSON, schema {@code perfkit.regression/1}: tolerance, alpha and the entries' fields
   *     ({@code spread} null when unknown)
   */
  public String json() {
    Json json = new Json().beginObject().field("schema", "perfkit.regression/1")
        .field("tolerance", tolerance).field("alpha", alpha)
        .field("regressed", hasRegressions()).beginArray("entries");
    for (Entry e : entries) {
      json.beginObject().field("name", e.name()).field("unit", e.unit())
          .field("verdict", e.verdict().name()).field("baselineScore", e.baselineScore())
          .field("currentScore", e.currentScore()).field("change", e.change())
          .field("changeLow", e.changeLow()).field("changeHigh", e.changeHigh())
          .field("pValue", e.pValue()).field("spread", e.spread()).field("method", e.method())
          .endObject();
    }
    return json.endArray().endObject().toString();
  }

  private long count(Verdict v) {
    return entries.stream().filter(e -> e.verdict() == v).count();
  }

  private static String num(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4g", v);
  }
}
