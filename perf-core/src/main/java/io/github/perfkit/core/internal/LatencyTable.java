package io.github.perfkit.core.internal;

import static io.github.perfkit.core.internal.Format.duration;

import io.github.perfkit.core.LatencySnapshot;
import java.util.Collection;
import java.util.Locale;

/**
 * Recorders' snapshots as one table: plain text, Markdown or JSON ({@code perfkit.latency/1}), for
 * {@code LatencySnapshot} and {@code PerfReport}. Stateless and thread-safe; a few microseconds per
 * row.
 */
public final class LatencyTable {

  private LatencyTable() {}

  /**
   * A plain-text table of recorders: count, failures, mean, p50, p90, p95, p99, p99.9, max.
   *
   * @param snapshots the recorders' snapshots
   * @return the table, one line per recorder, ending with a newline
   */
  public static String text(Collection<LatencySnapshot> snapshots) {
    Require.notNull(snapshots, "snapshots");
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
    Require.notNull(snapshots, "snapshots");
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
   * Recorders as JSON, schema {@code perfkit.latency/1} (see {@code LatencySnapshot#json()}).
   *
   * @param snapshots the recorders' snapshots
   * @return the JSON document
   */
  public static String json(Collection<LatencySnapshot> snapshots) {
    Require.notNull(snapshots, "snapshots");
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

  private static String escape(String s) {
    return s.replace("|", "\\|");
  }
}
