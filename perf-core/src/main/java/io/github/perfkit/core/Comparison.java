package io.github.perfkit.core;

import io.github.perfkit.core.internal.Format;
import io.github.perfkit.core.internal.Json;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link Compare} measured. Immutable.
 *
 * @param name what was compared
 * @param baseline the baseline approach's name
 * @param callsPerSample calls per sample
 * @param alpha the significance level used
 * @param results one per approach, in the order they were added
 * @param warmup how the warm-up ended, or null when unknown (a comparison made by hand)
 */
public record Comparison(String name, String baseline, int callsPerSample, double alpha,
    List<Result> results, Warmup warmup) {

  /**
   * The smallest change a comparison calls significant, whatever its p-value: {@value} (1%). Two
   * identical approaches measured in one JVM under load once differed by 0.04% with p under alpha;
   * a difference that small is noise between runs, not a result.
   */
  public static final double MIN_EFFECT = 0.01;

  /**
   * Validates and copies.
   *
   * @param name what was compared
   * @param baseline the baseline's name
   * @param callsPerSample calls per sample
   * @param alpha the significance level
   * @param results per approach
   * @param warmup how the warm-up ended, or null
   */
  public Comparison {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseline, "baseline");
    results = List.copyOf(results);
  }

  /**
   * A comparison without warm-up figures (the constructor before adaptive warm-up).
   *
   * @param name what was compared
   * @param baseline the baseline's name
   * @param callsPerSample calls per sample
   * @param alpha the significance level
   * @param results per approach
   */
  public Comparison(String name, String baseline, int callsPerSample, double alpha,
      List<Result> results) {
    this(name, baseline, callsPerSample, alpha, results, null);
  }

  /**
   * How the adaptive warm-up ended. Immutable.
   *
   * @param rounds warm-up rounds run (each runs every approach)
   * @param nanos time spent warming up
   * @param settled whether every approach's timings had settled; false when the limit was hit
   *     first (the measured samples may then include JIT compilation or drift)
   * @param limitNanos the limit it had
   */
  public record Warmup(int rounds, long nanos, boolean settled, long limitNanos) {

    /** @return whether the warm-up stopped at its limit without the timings settling */
    public boolean limitHit() {
      return !settled;
    }

    /** @return one sentence, e.g. {@code warm-up: 812 rounds in 1.20 s, timings settled} */
    public String text() {
      return new io.github.perfkit.core.internal.Warmup.Outcome(rounds, nanos, settled, limitNanos)
          .text();
    }
  }

  /**
   * One approach's figures (times in nanoseconds per call). The percentiles {@code p50},
   * {@code p95} and {@code p99} are of the samples, estimated by linear interpolation between the
   * two nearest ranks (R's and NumPy's default, type 7), because a comparison has tens of samples,
   * not the millions of a recorder; {@code p95} is the 95th percentile on perfkit's 0-100 scale.
   *
   * @param name the approach
   * @param isBaseline whether it is the baseline
   * @param samples measured samples
   * @param min fastest sample
   * @param max slowest sample
   * @param mean mean
   * @param p50 median
   * @param p95 95th percentile
   * @param p99 99th percentile
   * @param allocatedBytesPerCall median bytes allocated per call, or -1 where the JVM cannot tell
   * @param speedup baseline median / this median (above 1: faster than the baseline)
   * @param speedupLow lower end of the speedup's 95% bootstrap interval, over the samples of this
   *     JVM: the JIT compiles the same code a few percent faster or slower from one JVM to the
   *     next, and that spread is not in it (JMH's forks see it; against JMH on the 2-core VM the
   *     interval missed its figure by 4-6% for one pair of approaches in every JVM)
   * @param speedupHigh upper end of that interval
   * @param pValue two-sided Mann-Whitney U test against the baseline
   * @param significant {@code pValue < alpha} and the interval lies wholly beyond
   *     {@link Comparison#MIN_EFFECT} either way (a speedup above 1.01 or below 1/1.01)
   * @param sampleNanos every sample (nanoseconds per call) in the order measured, for
   *     {@link Baseline#of(Comparison...)}
   */
  public record Result(String name, boolean isBaseline, int samples, double min, double max,
      double mean, double p50, double p95, double p99, long allocatedBytesPerCall, double speedup,
      double speedupLow, double speedupHigh, double pValue, boolean significant,
      List<Double> sampleNanos) {

    /** Copies the samples. */
    public Result {
      sampleNanos = List.copyOf(sampleNanos);
    }
  }

  /**
   * @param approach a name
   * @return that approach's figures
   * @throws IllegalArgumentException if there is no such approach
   */
  public Result result(String approach) {
    return results.stream().filter(r -> r.name().equals(approach)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no approach '" + approach + "'"));
  }

  /** @return a table: one line per approach, then the verdicts */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Comparison '%s' (%d samples of %d call(s) each, "
        + "alpha %.2f)%n", name, results.get(0).samples(), callsPerSample, alpha));
    out.append(String.format(Locale.ROOT, "  %-20s %10s %10s %10s %10s %10s %12s  %s%n",
        "approach", "min", "p50", "p95", "p99", "max", "alloc/call", "vs baseline"));
    for (Result r : results) {
      String verdict = verdict(r);
      out.append(String.format(Locale.ROOT, "  %-20s %10s %10s %10s %10s %10s %12s  %s%n",
          r.name(), Format.duration((long) r.min()), Format.duration((long) r.p50()),
          Format.duration((long) r.p95()), Format.duration((long) r.p99()),
          Format.duration((long) r.max()),
          r.allocatedBytesPerCall() < 0 ? "n/a" : MemoryProfile.bytes(r.allocatedBytesPerCall()),
          verdict));
    }
    if (warmup != null) {
      out.append("  ").append(warmup.text()).append(System.lineSeparator());
    }
    return out.toString();
  }

  /** @return a Markdown heading and table with the same figures as {@link #text()} */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "## Comparison `%s`%n%n%d samples of %d call(s) each,"
        + " alpha %.2f%n%n", name.replace("`", "'"), results.get(0).samples(), callsPerSample,
        alpha));
    out.append("| approach | min | p50 | p95 | p99 | max | alloc/call | vs baseline |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Result r : results) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
          r.name().replace("|", "\\|"), Format.duration((long) r.min()),
          Format.duration((long) r.p50()), Format.duration((long) r.p95()),
          Format.duration((long) r.p99()), Format.duration((long) r.max()),
          r.allocatedBytesPerCall() < 0 ? "n/a" : MemoryProfile.bytes(r.allocatedBytesPerCall()),
          verdict(r)));
    }
    if (warmup != null) {
      out.append(System.lineSeparator()).append(warmup.settled() ? "" : "**")
          .append(warmup.text()).append(warmup.settled() ? "" : "**")
          .append(System.lineSeparator());
    }
    return out.toString();
  }

  /**
   * @return JSON, schema {@code perfkit.comparison/1}: name, baseline, callsPerSample, alpha and per
   *     approach its figures (times in nanoseconds per call, without the raw samples); and, when
   *     known, {@code warmup}: {@code rounds}, {@code nanos}, {@code settled}, {@code limitHit},
   *     {@code limitNanos}
   */
  public String json() {
    Json json = new Json().beginObject().field("schema", "perfkit.comparison/1")
        .field("name", name).field("baseline", baseline).field("callsPerSample", callsPerSample)
        .field("alpha", alpha).beginArray("results");
    for (Result r : results) {
      json.beginObject().field("name", r.name()).field("isBaseline", r.isBaseline())
          .field("samples", r.samples()).field("min", r.min()).field("max", r.max())
          .field("mean", r.mean()).field("p50", r.p50()).field("p95", r.p95())
          .field("p99", r.p99()).field("allocatedBytesPerCall", r.allocatedBytesPerCall())
          .field("speedup", r.speedup()).field("speedupLow", r.speedupLow())
          .field("speedupHigh", r.speedupHigh()).field("pValue", r.pValue())
          .field("significant", r.significant()).endObject();
    }
    json.endArray();
    if (warmup != null) {
      json.raw("warmup", new Json().beginObject().field("rounds", warmup.rounds())
          .field("nanos", warmup.nanos()).field("settled", warmup.settled())
          .field("limitHit", warmup.limitHit()).field("limitNanos", warmup.limitNanos())
          .endObject().toString());
    }
    return json.endObject().toString();
  }

  static String verdict(Result r) {
    return r.isBaseline() ? "baseline"
        : String.format(Locale.ROOT, "%.2fx [%.2f, %.2f] p=%.3g %s", r.speedup(), r.speedupLow(),
            r.speedupHigh(), r.pValue(), r.significant() ? (r.speedup() > 1 ? "faster" : "slower")
                : "no significant difference");
  }
}
