package io.github.perfkit.core;

import io.github.perfkit.core.internal.Format;
import io.github.perfkit.core.internal.Json;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a profiled section takes its time, with the figures that say so and what to do about it.
 * Made by {@link Profiler}; immutable.
 *
 * <h2>How the bottleneck is chosen</h2>
 * Each thread of the section spends its wall time on CPU (thread CPU time), queued for a CPU while
 * runnable (the kernel's run-queue time, where the OS tells it: Linux's
 * {@code /proc/self/task/<tid>/schedstat}), blocked on a lock (monitor entry from the
 * {@code ThreadMXBean}'s contention monitoring, plus parks on
 * {@code ReentrantLock}/{@code ReentrantReadWriteLock}/{@code StampedLock} of at least 1 ms from JFR),
 * stopped by the collector (pause time of the {@code GarbageCollectorMXBean}s), or waiting for
 * something else (I/O, sleep, a queue, a future: the rest). Summed over the section's threads:
 * <ol>
 *   <li>{@link Bottleneck#GC_PRESSURE} when collections stopped the section for at least
 *       {@value #GC_SHARE} of its wall time, counting the pauses in the section's share of the
 *       bytes the JVM allocated meanwhile (pauses for other threads' garbage get a finding);
 *   <li>{@link Bottleneck#CPU_STARVED} when the section kept more threads runnable than there are
 *       cores (at least half a thread more: {@link Evidence#runnable()} over
 *       {@link Evidence#cores()}) and the time queued for a
 *       core is the largest of CPU, queue, lock and waiting time. When the section's own threads fit
 *       the cores, time queued for a core went to other work on the machine: it counts as CPU demand
 *       (the section would have computed), and a finding says the machine was busy;
 *   <li>otherwise the largest of CPU (with that queue time), lock and waiting time names it, except
 *       that a CPU-bound section allocating at least {@value #ALLOCATION_RATE} bytes per user-mode
 *       CPU-second is {@link Bottleneck#GC_PRESSURE} too (its time goes into allocating and
 *       collecting garbage, and the remedy is fewer allocations, not a faster algorithm). Kernel time
 *       is left out of that rate: faulting in fresh heap pages is a cost of allocating, not work
 *       that dilutes it.
 * </ol>
 * Where the OS does not tell run-queue time, {@link Evidence#queueShare()} is -1, time queued for a
 * core is inside the waiting time, and a finding says so.
 *
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
 * <p>When the section reads through a perf-jdbc {@code TimedDataSource}, the rows its result sets
 * deliver are counted per statement shape. A shape that delivered at least {@value #ROWS_READ} rows
 * to the section's threads, and at least {@value #ROWS_READ_RATIO} times the rows they wrote in bulk
 * ({@code BatchWriter}), gets a "rows read" finding naming the shape (literals replaced by
 * {@code ?}), the rows, the time its result sets were open and the calling code; when that time is
 * at least {@value #STATEMENT_SHARE} of the section's, "filter in the database" comes first among
 * the strategies. perfkit cannot see how many rows the code keeps, so the finding says "if".
 *
 * @param bottleneck the verdict
 * @param runnerUp a second bottleneck close behind (CPU-bound, starved of CPU, lock contention or
 *     waiting), if one
 *     took at least {@value #RUNNER_UP_SHARE} of the thread time
 * @param evidence the figures behind it
 * @param findings the hottest method, the top allocation site or contended lock, as sentences
 * @param strategies what fits this bottleneck, each with the perfkit primitive for it
 */
public record Diagnosis(Bottleneck bottleneck, Optional<Bottleneck> runnerUp, Evidence evidence,
    List<String> findings, List<Strategy> strategies) {

  /** Share of wall time in GC pauses from which a section is GC-bound: {@value}. */
  public static final double GC_SHARE = 0.10;

  /**
   * Allocation rate (bytes per user-mode CPU-second) from which CPU-bound work is allocation-bound:
   * {@value}.
   */
  public static final double ALLOCATION_RATE = 1024.0 * 1024 * 1024;

  /**
   * Share of the samples inside JDBC statement executions (outside batches) from which the diagnosis
   * points at the statements (a finding, and "fewer statements" as the first strategy): {@value}.
   */
  public static final double STATEMENT_SHARE = 0.20;

  /** Share of thread time from which a second cause is named as the {@link #runnerUp}: {@value}. */
  public static final double RUNNER_UP_SHARE = 0.30;

  /**
   * Rows one statement shape's result sets must deliver to a section (through a perf-jdbc
   * {@code TimedDataSource}) for a "rows read" finding.
   */
  public static final long ROWS_READ = 10_000;

  /**
   * How many times the rows the section wrote in bulk the rows read must be for the finding: a
   * section that copies what it reads keeps it.
   */
  public static final long ROWS_READ_RATIO = 10;

  /**
   * Runnable threads beyond the cores from which a section oversubscribes them: {@value}. As many
   * busy threads as cores, queued behind other work, measure a little over the cores (2.1 on 2).
   */
  public static final double OVERSUBSCRIBED_MARGIN = 0.5;

  /** Validates and copies. */
  public Diagnosis {
    Objects.requireNonNull(bottleneck, "bottleneck");
    Objects.requireNonNull(runnerUp, "runnerUp");
    if (runnerUp.isPresent() && (runnerUp.get() == bottleneck
        || runnerUp.get() == Bottleneck.GC_PRESSURE)) {
      throw new IllegalArgumentException("runnerUp must not be GC_PRESSURE"
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
    LOCK_CONTENTION("lock contention"),
    /**
     * The section kept more threads runnable than there are cores, and they spent most of their
     * time queued for one: more threads make it worse.
     */
    CPU_STARVED("starved of CPU (more runnable threads than cores)");

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
   * @param cpuNanos their CPU time (user and kernel)
   * @param queueNanos time runnable but queued for a CPU, or -1 when the OS does not tell
   * @param lockNanos time blocked on monitors or parked on locks
   * @param waitingNanos other off-CPU time
   * @param ownWaitNanos time waiting for the section's own threads to finish work (join, futures,
   *     latches, phasers, fork/join tasks, from JFR's waits of 1 ms or more), when it has several
   *     threads: not a cause of its own, the verdict follows the work waited for
   * @param gcPauseNanos collection pauses during the section
   * @param collectorNanos CPU time of the collector's own threads during the section, in the
   *     share of the section's threads in the JVM's allocation, or -1 when unknown
   * @param allocatedBytes bytes allocated, or -1 when unknown
   * @param cpuShare cpu / thread time
   * @param queueShare queue / thread time, or -1 when unknown
   * @param lockShare lock / thread time
   * @param waitingShare waiting / thread time
   * @param gcShare gc pauses / wall time
   * @param allocationRate bytes per user-mode CPU-second, or -1 when unknown
   * @param statementShare share of the samples inside JDBC statement executions (a method named
   *     {@code execute...} of any driver's {@code java.sql.Statement}), 0 when none
   * @param runnable the section's threads that were on a CPU or queued for one, on average over its
   *     wall time ((cpu + queue) / wall; cpu / wall when the queue is unknown)
   * @param cores the processors the JVM may use
   */
  public record Evidence(long wallNanos, int threads, long threadNanos, long cpuNanos,
      long queueNanos, long lockNanos, long waitingNanos, long ownWaitNanos, long gcPauseNanos,
      long collectorNanos,
      long allocatedBytes, double cpuShare, double queueShare, double lockShare,
      double waitingShare, double gcShare, double allocationRate, double statementShare,
      double runnable, int cores) {

    /**
     * @return whether the section itself kept more threads runnable than there are cores, by more
     *     than half a thread (false when the queue is unknown)
     */
    public boolean oversubscribed() {
      return queueShare >= 0 && runnable > cores + OVERSUBSCRIBED_MARGIN;
    }

    /**
     * The share of a cause that the verdict weighs: for CPU, lock and waiting time, its share of the
     * thread time left when the time spent waiting for the section's own threads is set aside, and
     * the time queued for a core too when the section's own threads fit the cores (the time it would
     * have on a quiet machine); for {@link Bottleneck#CPU_STARVED}
     * the queue share; for {@link Bottleneck#GC_PRESSURE} the GC pause share of wall time.
     *
     * @param cause a bottleneck
     * @return its share, 0 to 1
     */
    public double activeShare(Bottleneck cause) {
      double own = threadNanos <= 0 ? 0 : (double) ownWaitNanos / threadNanos;
      double active = Math.max(1e-9, (queueShare < 0 || oversubscribed() ? 1 : 1 - queueShare)
          - own);
      return switch (cause) {
        case CPU_BOUND -> cpuShare / active;
        case LOCK_CONTENTION -> lockShare / active;
        case WAITING -> waitingShare / active;
        case CPU_STARVED -> Math.max(0, queueShare);
        case GC_PRESSURE -> gcShare;
      };
    }
  }

  /**
   * One thing to try.
   *
   * @param name e.g. "parallelism"
   * @param why why it fits, with the figure
   * @param primitive the perfkit type that does it, e.g. {@code Parallel.io (perf-parallel)}
   */
  public record Strategy(String name, String why, String primitive) {}

  /** Share of thread time queued behind other work from which a verdict is {@link #uncertain()}. */
  public static final double UNCERTAIN_QUEUE_SHARE = 0.50;

  /**
   * Whether the machine was too busy to tell: the section's threads fit the cores, yet they spent
   * at least {@value #UNCERTAIN_QUEUE_SHARE} of their time queued for a core behind other work.
   * Then the little time left is distorted too (the sampler's own pauses, safepoints and wake-ups
   * weigh on it), the verdict is a best guess and the headline says so: measure again on a quieter
   * machine.
   *
   * @return whether the verdict is a best guess
   */
  public boolean uncertain() {
    return evidence.queueShare() >= UNCERTAIN_QUEUE_SHARE && !evidence.oversubscribed();
  }

  /**
   * @return the verdict in a few words, with the runner-up if there is one: {@code "CPU-bound; close
   *     behind: waiting (I/O, sleep or other threads), 45% of thread time"}
   */
  public String headline() {
    String verdict = verdictHeadline();
    return uncertain() ? verdict + String.format(Locale.ROOT, " (uncertain: %.0f%% of thread time"
        + " queued for a core behind other work)", evidence.queueShare() * 100) : verdict;
  }

  private String verdictHeadline() {
    if (runnerUp.isEmpty()) {
      return bottleneck.label();
    }
    Bottleneck r = runnerUp.get();
    if (r == Bottleneck.GC_PRESSURE) {
      throw new AssertionError("never a runner-up"); // see the constructor
    }
    double share = evidence.activeShare(r);
    return String.format(Locale.ROOT, "%s; close behind: %s, %.0f%% of thread time",
        bottleneck.label(), r.label(), share * 100);
  }

  /** @return the diagnosis as a few lines of text, for logs */
  public String text() {
    StringBuilder out = new StringBuilder();
    Evidence e = evidence;
    out.append("Diagnosis: ").append(headline()).append('\n');
    out.append("  evidence: ").append(shares(e)).append(String.format(Locale.ROOT,
        "; allocation %s", e.allocationRate() < 0 ? "n/a"
            : MemoryProfile.bytes((long) e.allocationRate()) + " per CPU-second (user mode)"));
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

  /** The evidence's time split in one line, shared by text and Markdown. */
  private static String shares(Evidence e) {
    String own = e.ownWaitNanos() <= 0 || e.threadNanos() <= 0 ? ""
        : String.format(Locale.ROOT, ", waiting for its own threads %.0f%%",
            100.0 * e.ownWaitNanos() / e.threadNanos());
    return String.format(Locale.ROOT, "%d thread(s) over %s wall: cpu %.0f%%, queued for a core %s,"
        + " locks %.0f%%, waiting %.0f%%%s of thread time; %.1f thread(s) runnable on %d cores;"
        + " GC pauses %.0f%% of wall", e.threads(), Format.duration(e.wallNanos()),
        e.cpuShare() * 100, e.queueShare() < 0 ? "unknown"
            : String.format(Locale.ROOT, "%.0f%%", e.queueShare() * 100), e.lockShare() * 100,
        e.waitingShare() * 100, own, e.runnable(), e.cores(), e.gcShare() * 100);
  }

  /**
   * @return the same diagnosis as {@link #text()} in Markdown: the headline as a heading, the
   *     evidence, the findings and the strategies as lists
   */
  public String markdown() {
    Evidence e = evidence;
    StringBuilder out = new StringBuilder("## Diagnosis: ").append(headline()).append("\n\n");
    out.append(shares(e)).append("\n\n");
    for (String f : findings) {
      out.append("- ").append(f).append('\n');
    }
    if (!strategies.isEmpty()) {
      out.append(findings.isEmpty() ? "" : "\n").append("Try:\n\n");
      for (Strategy s : strategies) {
        out.append("1. **").append(s.name()).append("**: ").append(s.why()).append(" (")
            .append(s.primitive()).append(")\n");
      }
    }
    return out.toString();
  }

  /**
   * @return JSON, schema {@code perfkit.diagnosis/1}: {@code bottleneck}, {@code label},
   *     {@code runnerUp} (or null), {@code headline}, the evidence's figures by their names,
   *     {@code findings} and {@code strategies} ({@code name, why, primitive})
   */
  public String json() {
    Evidence e = evidence;
    Json json = new Json().beginObject().field("schema", "perfkit.diagnosis/1")
        .field("bottleneck", bottleneck.name()).field("label", bottleneck.label())
        .raw("runnerUp", runnerUp.map(r -> '"' + r.name() + '"').orElse("null"))
        .field("headline", headline()).field("uncertain", uncertain())
        .field("wallNanos", e.wallNanos())
        .field("threads", e.threads()).field("threadNanos", e.threadNanos())
        .field("cpuNanos", e.cpuNanos()).field("queueNanos", e.queueNanos())
        .field("lockNanos", e.lockNanos())
        .field("waitingNanos", e.waitingNanos()).field("ownWaitNanos", e.ownWaitNanos())
        .field("gcPauseNanos", e.gcPauseNanos())
        .field("collectorNanos", e.collectorNanos())
        .field("allocatedBytes", e.allocatedBytes()).field("cpuShare", e.cpuShare())
        .field("queueShare", e.queueShare())
        .field("lockShare", e.lockShare()).field("waitingShare", e.waitingShare())
        .field("gcShare", e.gcShare()).field("allocationRate", e.allocationRate())
        .field("statementShare", e.statementShare()).field("runnable", e.runnable())
        .field("cores", e.cores())
        .beginArray("findings");
    for (String f : findings) {
      StringBuilder quoted = new StringBuilder();
      Json.quote(f, quoted);
      json.rawElement(quoted.toString());
    }
    json.endArray().beginArray("strategies");
    for (Strategy st : strategies) {
      json.beginObject().field("name", st.name()).field("why", st.why())
          .field("primitive", st.primitive()).endObject();
    }
    return json.endArray().endObject().toString();
  }
}
