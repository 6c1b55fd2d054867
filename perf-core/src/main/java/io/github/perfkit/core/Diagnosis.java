package io.github.perfkit.core;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a profiled section takes its time, with the figures that say so and what to do about it.
 * Made by {@link Profiler}; immutable.
 *
 * <h2>How the bottleneck is chosen</h2>
 * Each thread of the section spends its wall time on CPU (thread CPU time), blocked on a lock
 * (monitor entry from the {@code ThreadMXBean}'s contention monitoring, plus parks on
 * {@code ReentrantLock}/{@code ReentrantReadWriteLock}/{@code StampedLock} of at least 1 ms from JFR),
 * stopped by the collector (pause time of the {@code GarbageCollectorMXBean}s), or waiting for
 * something else (I/O, sleep, a queue, a future: the rest). Summed over the section's threads:
 * <ol>
 *   <li>{@link Bottleneck#GC_PRESSURE} when collections stopped the section for at least
 *       {@value #GC_SHARE} of its wall time;
 *   <li>otherwise the largest of CPU, lock and waiting time names it, except that a CPU-bound
 *       section allocating at least {@value #ALLOCATION_RATE} bytes per CPU-second is
 *       {@link Bottleneck#GC_PRESSURE} too (its time goes into allocating and collecting garbage,
 *       and the remedy is fewer allocations, not a faster algorithm).
 * </ol>
 * A section is often limited by two things at once (a pipeline that waits on a remote call and then
 * computes): when, besides the verdict's own time, another of CPU, lock and waiting time takes at
 * least {@value #RUNNER_UP_SHARE} of the thread time, it is the {@link #runnerUp()} and its
 * strategies follow the verdict's. CPU time counts as a GC-pressure verdict's own time (allocating
 * is computing), so only lock or waiting time can be the runner-up of GC pressure.
 *
 * <p>Whatever the verdict, when at least {@value #STATEMENT_SHARE} of the samples are inside JDBC
 * statement executions (any driver: a method named {@code execute...} of a class implementing
 * {@code java.sql.Statement}), a finding names the statement and the code that calls it, and "fewer
 * statements" comes first among the strategies: batch or bulk-load the writes or, when the top
 * statement is a query (a query per item), fetch many keys per query or keep the answers. Time inside
 * {@code executeBatch} and {@code executeLargeBatch} does not count: batches are the remedy already.
 *
 * @param bottleneck the verdict
 * @param runnerUp a second bottleneck close behind (CPU-bound, lock contention or waiting), if one
 *     took at least {@value #RUNNER_UP_SHARE} of the thread time
 * @param evidence the figures behind it
 * @param findings the hottest method, the top allocation site or contended lock, as sentences
 * @param strategies what fits this bottleneck, each with the perfkit primitive for it
 */
public record Diagnosis(Bottleneck bottleneck, Optional<Bottleneck> runnerUp, Evidence evidence,
    List<String> findings, List<Strategy> strategies) {

  /** Share of wall time in GC pauses from which a section is GC-bound: {@value}. */
  public static final double GC_SHARE = 0.10;

  /** Allocation rate (bytes per CPU-second) from which CPU-bound work is allocation-bound: {@value}. */
  public static final double ALLOCATION_RATE = 1024.0 * 1024 * 1024;

  /**
   * Share of the samples inside JDBC statement executions (outside batches) from which the diagnosis
   * points at the statements (a finding, and "fewer statements" as the first strategy): {@value}.
   */
  public static final double STATEMENT_SHARE = 0.20;

  /** Share of thread time from which a second cause is named as the {@link #runnerUp}: {@value}. */
  public static final double RUNNER_UP_SHARE = 0.30;

  /** Validates and copies. */
  public Diagnosis {
    Objects.requireNonNull(bottleneck, "bottleneck");
    Objects.requireNonNull(runnerUp, "runnerUp");
    if (runnerUp.isPresent() && (runnerUp.get() == bottleneck
        || runnerUp.get() == Bottleneck.GC_PRESSURE)) {
      throw new IllegalArgumentException("runnerUp must be CPU_BOUND, LOCK_CONTENTION or WAITING"
          + " and differ from bottleneck " + bottleneck + " but was " + runnerUp.get());
    }
    Objects.requireNonNull(evidence, "evidence");
    findings = List.copyOf(findings);
    strategies = List.copyOf(strategies);
  }

  /** What limits a section. */
  public enum Bottleneck {
    /** The threads were computing: the work itself is the cost. */
    CPU_BOUND("CPU-bound"),
    /** The threads were mostly off-CPU waiting: I/O, remote calls, sleeps, queues, futures. */
    WAITING("waiting (I/O, sleep or other threads)"),
    /** Allocation and garbage collection take the time. */
    GC_PRESSURE("GC pressure (allocation-heavy)"),
    /** The threads queue for the same locks. */
    LOCK_CONTENTION("lock contention");

    private final String label;

    Bottleneck(String label) {
      this.label = label;
    }

    /** @return a short human label */
    public String label() {
      return label;
    }
  }

  /**
   * The figures, summed over the section's threads (thread time = wall time of each thread that
   * took part).
   *
   * @param wallNanos the section's wall time
   * @param threads threads that took part
   * @param threadNanos their summed wall time
   * @param cpuNanos their CPU time
   * @param lockNanos time blocked on monitors or parked on locks
   * @param waitingNanos other off-CPU time
   * @param gcPauseNanos collection pauses during the section
   * @param allocatedBytes bytes allocated, or -1 when unknown
   * @param cpuShare cpu / thread time
   * @param lockShare lock / thread time
   * @param waitingShare waiting / thread time
   * @param gcShare gc pauses / wall time
   * @param allocationRate bytes per CPU-second, or -1 when unknown
   * @param statementShare share of the samples inside JDBC statement executions (a method named
   *     {@code execute...} of any driver's {@code java.sql.Statement}), 0 when none
   */
  public record Evidence(long wallNanos, int threads, long threadNanos, long cpuNanos,
      long lockNanos, long waitingNanos, long gcPauseNanos, long allocatedBytes, double cpuShare,
      double lockShare, double waitingShare, double gcShare, double allocationRate,
      double statementShare) {}

  /**
   * One thing to try.
   *
   * @param name e.g. "parallelism"
   * @param why why it fits, with the figure
   * @param primitive the perfkit type that does it, e.g. {@code Parallel.io (perf-parallel)}
   */
  public record Strategy(String name, String why, String primitive) {}

  /**
   * @return the verdict in a few words, with the runner-up if there is one: {@code "CPU-bound; close
   *     behind: waiting (I/O, sleep or other threads), 45% of thread time"}
   */
  public String headline() {
    if (runnerUp.isEmpty()) {
      return bottleneck.label();
    }
    Bottleneck r = runnerUp.get();
    double share = switch (r) {
      case CPU_BOUND -> evidence.cpuShare();
      case LOCK_CONTENTION -> evidence.lockShare();
      case WAITING -> evidence.waitingShare();
      case GC_PRESSURE -> throw new AssertionError("never a runner-up"); // see the constructor
    };
    return String.format(Locale.ROOT, "%s; close behind: %s, %.0f%% of thread time",
        bottleneck.label(), r.label(), share * 100);
  }

  /** @return the diagnosis as a few lines of text */
  public String text() {
    StringBuilder out = new StringBuilder();
    Evidence e = evidence;
    out.append("Diagnosis: ").append(headline()).append('\n');
    out.append(String.format(Locale.ROOT, "  evidence: %d thread(s) over %s wall: cpu %.0f%%, "
        + "locks %.0f%%, waiting %.0f%% of thread time; GC pauses %.0f%% of wall; allocation %s",
        e.threads(), Reports.duration(e.wallNanos()), e.cpuShare() * 100, e.lockShare() * 100,
        e.waitingShare() * 100, e.gcShare() * 100,
        e.allocationRate() < 0 ? "n/a" : MemoryProfile.bytes((long) e.allocationRate())
            + " per CPU-second"));
    if (e.statementShare() > 0) {
      out.append(String.format(Locale.ROOT, "; JDBC statements %.0f%% of samples",
          e.statementShare() * 100));
    }
    out.append('\n');
    for (String f : findings) {
      out.append("  ").append(f).append('\n');
    }
    out.append("  try:\n");
    for (Strategy s : strategies) {
      out.append("   - ").append(s.name()).append(": ").append(s.why()).append(" -> ")
          .append(s.primitive()).append('\n');
    }
    return out.toString();
  }
}
