package io.github.perfkit.core;

import static io.github.perfkit.core.internal.Format.bytes;
import static io.github.perfkit.core.internal.Format.duration;

import io.github.perfkit.core.internal.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An immutable view of a {@link StageBreakdown}: its stages ranked by self time, with each stage's
 * share of the total, the cumulative share, and whether it belongs to the smallest set of stages that
 * makes up {@link #THRESHOLD 80%} of the time. It renders itself as {@link #text()} (logs),
 * {@link #markdown()} (pull requests) and {@link #json()} (tools). Thread-safe (immutable);
 * rendering costs a few microseconds per stage.
 *
 * <h2>JSON schema</h2>
 * Every perfkit document carries a {@code schema} field naming its shape and version; durations are
 * integer nanoseconds, shares are fractions between 0 and 1.
 * <pre>
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
public final class BreakdownSnapshot {

  /** The share that the "where is most of the time" line marks: 0.8. */
  public static final double THRESHOLD = 0.8;

  private final String name;
  private final List<StageStats> stages;
  private final long totalNanos;
  private final boolean cpuMeasured;
  private final boolean allocationMeasured;

  private BreakdownSnapshot(String name, List<StageStats> stages, long totalNanos, boolean cpu,
      boolean allocation) {
    this.name = name;
    this.stages = List.copyOf(stages);
    this.totalNanos = totalNanos;
    this.cpuMeasured = cpu;
    this.allocationMeasured = allocation;
  }

  static BreakdownSnapshot rank(String name, List<StageStats> raw, boolean cpu, boolean allocation) {
    List<StageStats> sorted = new ArrayList<>(raw);
    sorted.sort(Comparator.comparingLong(StageStats::selfNanos).reversed()
        .thenComparing(StageStats::name));
    long total = 0;
    for (StageStats s : sorted) {
      total += s.selfNanos();
    }
    List<StageStats> ranked = new ArrayList<>(sorted.size());
    long running = 0;
    for (StageStats s : sorted) {
      boolean before80 = total > 0 && (double) running / total < THRESHOLD;
      running += s.selfNanos();
      double share = total == 0 ? 0 : (double) s.selfNanos() / total;
      double cumulative = total == 0 ? 0 : (double) running / total;
      ranked.add(new StageStats(s.name(), s.count(), s.wallNanos(), s.selfNanos(), s.cpuNanos(),
          s.allocatedBytes(), s.latency(), share, cumulative, before80));
    }
    return new BreakdownSnapshot(name, ranked, total, cpu, allocation);
  }

  /** @return the breakdown's name */
  public String name() {
    return name;
  }

  /** @return the stages, largest self time first */
  public List<StageStats> stages() {
    return stages;
  }

  /** @return the sum of the stages' self times: the time spent inside any stage */
  public long totalNanos() {
    return totalNanos;
  }

  /** @return whether thread CPU time was measured (false on a JVM without thread CPU time) */
  public boolean cpuMeasured() {
    return cpuMeasured;
  }

  /** @return whether allocated bytes were measured (false on a JVM without the counter) */
  public boolean allocationMeasured() {
    return allocationMeasured;
  }

  /** @return the smallest set of stages whose self time makes up at least 80% of the total */
  public List<StageStats> top80() {
    return stages.stream().filter(StageStats::inTop80).toList();
  }

  /**
   * The stage with this path.
   *
   * @param path e.g. {@code fetch} or {@code fetch/parse}
   * @return the stage's figures
   * @throws IllegalArgumentException if no stage has that path
   */
  public StageStats stage(String path) {
    Objects.requireNonNull(path, "path");
    return stages.stream().filter(s -> s.name().equals(path)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage '" + path + "' in breakdown '"
            + name + "'; stages: " + stages.stream().map(StageStats::name).toList()));
  }

  /**
   * A plain-text breakdown, for logs: stages ranked by self time with share, cumulative share, CPU
   * against wall and allocated bytes, and a line under the smallest set of stages that makes up 80%.
   *
   * @return the table, ending with a newline
   */
  public String text() {
    BreakdownSnapshot breakdown = this;
    StringBuilder out = new StringBuilder();
    out.append("Stage breakdown '").append(breakdown.name()).append("': ")
        .append(duration(breakdown.totalNanos())).append(" in stages; 80% of it in ")
        .append(String.join(", ", breakdown.top80().stream().map(StageStats::name)
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
    for (StageStats s : breakdown.stages()) {
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
   * A Markdown breakdown for a pull request: a heading, then a table with the same figures as
   * {@link #text()}; stages inside the 80% set are marked in bold.
   *
   * @return the Markdown
   */
  public String markdown() {
    BreakdownSnapshot breakdown = this;
    StringBuilder out = new StringBuilder();
    out.append("## Stage breakdown `").append(escape(breakdown.name())).append("`\n\n")
        .append(duration(breakdown.totalNanos())).append(" in stages; 80% of it in ")
        .append(String.join(", ", breakdown.top80().stream().map(s -> "`" + escape(s.name()) + "`")
            .toList()))
        .append("\n\n");
    out.append("| # | stage | count | self | share | cumulative | wall | cpu | cpu/wall | allocated |"
        + " verdict |\n");
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    int rank = 0;
    for (StageStats s : breakdown.stages()) {
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
   * The breakdown as JSON, schema {@code perfkit.breakdown/1} (see the class documentation).
   *
   * @return the JSON document
   */
  public String json() {
    BreakdownSnapshot breakdown = this;
    Json json = new Json().beginObject().field("schema", "perfkit.breakdown/1")
        .field("name", breakdown.name()).field("totalNanos", breakdown.totalNanos())
        .field("threshold", THRESHOLD)
        .field("cpuMeasured", breakdown.cpuMeasured())
        .field("allocationMeasured", breakdown.allocationMeasured()).beginArray("stages");
    for (StageStats s : breakdown.stages()) {
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
  private static String verdict(StageStats s) {
    if (s.wallNanos() == 0 || s.cpuNanos() <= 0) {
      return "";
    }
    double r = s.cpuRatio();
    return r >= 0.7 ? "computes" : r <= 0.3 ? "waits" : "mixed";
  }

  private static String escape(String s) {
    return s.replace("|", "\\|");
  }

  /**
   * One stage's figures.
   *
   * @param name the stage's path ({@code parent/child} when nested)
   * @param count how many times it ran
   * @param wallNanos its total elapsed time, children included
   * @param selfNanos its elapsed time minus its children's
   * @param cpuNanos the opening thread's CPU time during the stage, children included
   * @param allocatedBytes bytes the opening thread allocated during the stage, children included
   * @param latency the distribution of its single runs' wall times
   * @param share {@code selfNanos} over the breakdown's total
   * @param cumulativeShare the share of this stage and every stage ranked above it
   * @param inTop80 whether it belongs to the smallest set making up 80% of the total
   */
  public record StageStats(String name, long count, long wallNanos, long selfNanos, long cpuNanos,
      long allocatedBytes, LatencySnapshot latency, double share, double cumulativeShare,
      boolean inTop80) {

    /** @return CPU time over wall time: near 1 computes, near 0 waits (I/O, sleep, locks) */
    public double cpuRatio() {
      return wallNanos == 0 ? 0 : Math.min(1.0, (double) cpuNanos / wallNanos);
    }

    /** @return wall time not spent on the opening thread's CPU */
    public long waitNanos() {
      return Math.max(0, wallNanos - cpuNanos);
    }
  }
}
