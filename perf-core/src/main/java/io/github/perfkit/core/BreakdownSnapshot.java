package io.github.perfkit.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An immutable view of a {@link StageBreakdown}: its stages ranked by self time, with each stage's
 * share of the total, the cumulative share, and whether it belongs to the smallest set of stages that
 * makes up {@link #THRESHOLD 80%} of the time. Render it with {@link Reports}. Thread-safe (immutable).
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
