package io.github.perfkit.core;

import io.github.perfkit.core.internal.Json;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders {@link LatencySnapshot}s and {@link BreakdownSnapshot}s as a plain-text table (for logs),
 * Markdown (for pull requests and wikis) and JSON (for tools). Stateless and thread-safe; rendering
 * costs a few microseconds per row.
 *
 * <h2>JSON schema</h2>
 * Every document carries a {@code schema} field naming its shape and version; durations are integer
 * nanoseconds, shares are fractions between 0 and 1.
 * <pre>
 * perfkit.latency/1:
 * { "schema": "perfkit.latency/1",
 *   "recorders": [ { "name": string, "count": long, "failures": long, "totalNanos": long,
 *                    "meanNanos": long, "minNanos": long, "maxNanos": long, "p50Nanos": long,
 *                    "p90Nanos": long, "p95Nanos": long, "p99Nanos": long, "p999Nanos": long } ] }
 *
 * perfkit.breakdown/1:
 * { "schema": "perfkit.breakdown/1", "name": string, "totalNanos": long, "threshold": 0.8,
 *   "cpuMeasured": boolean, "allocationMeasured": boolean,
 *   "stages": [ { "name": string (nested: "parent/child"), "count": long, "wallNanos": long,
 *                 "selfNanos": long, "cpuNanos": long, "waitNanos": long, "cpuRatio": number,
 *                 "allocatedBytes": long, "share": number, "cumulativeShare": number,
 *                 "inTop80": boolean, "p50Nanos": long, "p99Nanos": long, "maxNanos": long } ] }
 * </pre>
 * Stages are listed largest self time first. A later version adds fields and never changes the
 * meaning of existing ones; a reader should ignore fields it does not know.
 */
public final class Reports {

  private Reports() {}

  /**
   * A plain-text table of recorders: count, failures, mean, p50, p90, p95, p99, p99.9, max.
   *
   * @param snapshots the recorders' snapshots
   * @return the table, one line per recorder, ending with a newline
   */
  public static String text(Collection<LatencySnapshot> snapshots) {
    Objects.requireNonNull(snapshots, "snapshots");
    StringBuilder out = new StringBuilder();
    int width = Math.max(4, snapshots.stream().mapToInt(s -> s.name().length()).max().orElse(4));
    out.append(String.format(Locale.ROOT, "%-" + width + "s %9s %8s %10s %10s %10s %10s %10s %10s %10s%n",
        "name", "count", "failed", "mean", "p50", "p90", "p95", "p99", "p99.9", "max"));
    for (LatencySnapshot s : snapshots) {
      out.append(String.format(Locale.ROOT,
          "%-" + width + "s %9d %8d %10s %10s %10s %10s %10s %10s %10s%n", s.name(), s.count(),
          s.failureCount(), duration(s.mean().toNanos()), duration(s.p50().toNanos()),
          duration(s.p90().toNanos()), duration(s.p95().toNanos()), duration(s.p99().toNanos()),
          duration(s.p999().toNanos()), duration(s.max().toNanos())));
    }
    return out.toString();
  }

  /**
   * A Markdown table of recorders.
   *
   * @param snapshots the recorders' snapshots
   * @return the table
   */
  public static String markdown(Collection<LatencySnapshot> snapshots) {
    Objects.requireNonNull(snapshots, "snapshots");
    StringBuilder out = new StringBuilder();
    out.append("| name | count | failed | mean | p50 | p90 | p95 | p99 | p99.9 | max |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (LatencySnapshot s : snapshots) {
      out.append("| ").append(escape(s.name())).append(" | ").append(s.count()).append(" | ")
          .append(s.failureCount()).append(" | ").append(duration(s.mean().toNanos()))
          .append(" | ").append(duration(s.p50().toNanos())).append(" | ")
          .append(duration(s.p90().toNanos())).append(" | ").append(duration(s.p95().toNanos()))
          .append(" | ").append(duration(s.p99().toNanos())).append(" | ")
          .append(duration(s.p999().toNanos())).append(" | ").append(duration(s.max().toNanos()))
          .append(" |\n");
    }
    return out.toString();
  }

  /**
   * Recorders as JSON, schema {@code perfkit.latency/1} (see the class documentation).
   *
   * @param snapshots the recorders' snapshots
   * @return the JSON document
   */
  public static String json(Collection<LatencySnapshot> snapshots) {
    Objects.requireNonNull(snapshots, "snapshots");
    Json json = new Json().beginObject().field("schema", "perfkit.latency/1").beginArray("recorders");
    for (LatencySnapshot s : snapshots) {
      json.beginObject().field("name", s.name()).field("count", s.count())
          .field("failures", s.failureCount()).field("totalNanos", s.totalNanos())
          .field("meanNanos", s.mean().toNanos()).field("minNanos", s.min().toNanos())
          .field("maxNanos", s.max().toNanos()).field("p50Nanos", s.p50().toNanos())
          .field("p90Nanos", s.p90().toNanos()).field("p95Nanos", s.p95().toNanos())
          .field("p99Nanos", s.p99().toNanos()).field("p999Nanos", s.p999().toNanos())
          .endObject();
    }
    return json.endArray().endObject().toString();
  }

  /**
   * A plain-text breakdown: stages ranked by self time with share, cumulative share, CPU against wall
   * and allocated bytes, and a line under the smallest set of stages that makes up 80%.
   *
   * @param breakdown the breakdown's snapshot
   * @return the table, ending with a newline
   */
  public static String text(BreakdownSnapshot breakdown) {
    Objects.requireNonNull(breakdown, "breakdown");
    StringBuilder out = new StringBuilder();
    out.append("Stage breakdown '").append(breakdown.name()).append("': ")
        .append(duration(breakdown.totalNanos())).append(" in stages; 80% of it in ")
        .append(String.join(", ", breakdown.top80().stream().map(BreakdownSnapshot.StageStats::name)
            .toList()))
        .append('\n');
    int width = Math.max(5, breakdown.stages().stream().mapToInt(s -> s.name().length()).max()
        .orElse(5));
    String header = String.format(Locale.ROOT,
        "%3s  %-" + width + "s %7s %10s %6s %6s %10s %10s %10s %8s %10s  %s%n", "#", "stage", "count",
        "self", "share", "cum.", "wall", "cpu", "wait", "cpu/wall", "allocated", "verdict");
    out.append(header);
    int rank = 0;
    boolean lineDrawn = false;
    for (BreakdownSnapshot.StageStats s : breakdown.stages()) {
      if (!s.inTop80() && !lineDrawn) {
        out.append("     ").append("-".repeat(Math.max(10, header.length() - 6)))
            .append(" 80% line\n");
        lineDrawn = true;
      }
      rank++;
      out.append(String.format(Locale.ROOT,
          "%3d  %-" + width + "s %7d %10s %5.1f%% %5.1f%% %10s %10s %10s %8s %10s  %s%n", rank,
          s.name(), s.count(), duration(s.selfNanos()), s.share() * 100, s.cumulativeShare() * 100,
          duration(s.wallNanos()), breakdown.cpuMeasured() ? duration(s.cpuNanos()) : "n/a",
          breakdown.cpuMeasured() ? duration(s.waitNanos()) : "n/a",
          breakdown.cpuMeasured() ? String.format(Locale.ROOT, "%.2f", s.cpuRatio()) : "n/a",
          breakdown.allocationMeasured() ? bytes(s.allocatedBytes()) : "n/a", verdict(s)));
    }
    return out.toString();
  }

  /**
   * A Markdown breakdown, the same figures as {@link #text(BreakdownSnapshot)}; stages inside the
   * 80% set are marked in bold.
   *
   * @param breakdown the breakdown's snapshot
   * @return the Markdown
   */
  public static String markdown(BreakdownSnapshot breakdown) {
    Objects.requireNonNull(breakdown, "breakdown");
    StringBuilder out = new StringBuilder();
    out.append("**Stage breakdown `").append(escape(breakdown.name())).append("`**: ")
        .append(duration(breakdown.totalNanos())).append(" in stages; 80% of it in ")
        .append(String.join(", ", breakdown.top80().stream().map(s -> "`" + escape(s.name()) + "`")
            .toList()))
        .append("\n\n");
    out.append("| # | stage | count | self | share | cumulative | wall | cpu | cpu/wall | allocated |"
        + " verdict |\n");
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    int rank = 0;
    for (BreakdownSnapshot.StageStats s : breakdown.stages()) {
      rank++;
      String name = s.inTop80() ? "**" + escape(s.name()) + "**" : escape(s.name());
      out.append(String.format(Locale.ROOT,
          "| %d | %s | %d | %s | %.1f%% | %.1f%% | %s | %s | %s | %s | %s |%n", rank, name,
          s.count(), duration(s.selfNanos()), s.share() * 100, s.cumulativeShare() * 100,
          duration(s.wallNanos()), breakdown.cpuMeasured() ? duration(s.cpuNanos()) : "n/a",
          breakdown.cpuMeasured() ? String.format(Locale.ROOT, "%.2f", s.cpuRatio()) : "n/a",
          breakdown.allocationMeasured() ? bytes(s.allocatedBytes()) : "n/a", verdict(s)));
    }
    return out.toString();
  }

  /**
   * A breakdown as JSON, schema {@code perfkit.breakdown/1} (see the class documentation).
   *
   * @param breakdown the breakdown's snapshot
   * @return the JSON document
   */
  public static String json(BreakdownSnapshot breakdown) {
    Objects.requireNonNull(breakdown, "breakdown");
    Json json = new Json().beginObject().field("schema", "perfkit.breakdown/1")
        .field("name", breakdown.name()).field("totalNanos", breakdown.totalNanos())
        .field("threshold", BreakdownSnapshot.THRESHOLD)
        .field("cpuMeasured", breakdown.cpuMeasured())
        .field("allocationMeasured", breakdown.allocationMeasured()).beginArray("stages");
    for (BreakdownSnapshot.StageStats s : breakdown.stages()) {
      json.beginObject().field("name", s.name()).field("count", s.count())
          .field("wallNanos", s.wallNanos()).field("selfNanos", s.selfNanos())
          .field("cpuNanos", s.cpuNanos()).field("waitNanos", s.waitNanos())
          .field("cpuRatio", s.cpuRatio()).field("allocatedBytes", s.allocatedBytes())
          .field("share", s.share()).field("cumulativeShare", s.cumulativeShare())
          .field("inTop80", s.inTop80()).field("p50Nanos", s.latency().p50().toNanos())
          .field("p99Nanos", s.latency().p99().toNanos())
          .field("maxNanos", s.latency().max().toNanos()).endObject();
    }
    return json.endArray().endObject().toString();
  }

  /** "computes" when the stage's thread was on CPU most of the time, "waits" when mostly not. */
  private static String verdict(BreakdownSnapshot.StageStats s) {
    if (s.wallNanos() == 0 || s.cpuNanos() <= 0) {
      return "";
    }
    double r = s.cpuRatio();
    return r >= 0.7 ? "computes" : r <= 0.3 ? "waits" : "mixed";
  }

  /**
   * Formats a duration with three significant figures and a unit (ns, µs, ms, s).
   *
   * @param nanos the duration in nanoseconds
   * @return e.g. {@code 12.3 ms}
   */
  public static String duration(long nanos) {
    if (nanos < 1_000) {
      return nanos + " ns";
    }
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.3g µs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
  }

  /**
   * Formats a byte count with a binary unit (B, KiB, MiB, GiB).
   *
   * @param bytes a count, {@code >= 0}
   * @return e.g. {@code 1.5 MiB}
   */
  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  private static String escape(String s) {
    return s.replace("|", "\\|");
  }
}
