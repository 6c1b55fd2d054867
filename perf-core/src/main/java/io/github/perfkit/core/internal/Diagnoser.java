package io.github.perfkit.core.internal;

import io.github.perfkit.core.Diagnosis;
import io.github.perfkit.core.Diagnosis.Bottleneck;
import io.github.perfkit.core.Diagnosis.Strategy;
import io.github.perfkit.core.MemoryProfile;
import io.github.perfkit.core.Profile;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Classifies a section from its threads' time (rules documented on {@link Diagnosis}). */
public final class Diagnoser {

  private static List<Strategy> waitingOn(WaitKind kind, Diagnosis.Evidence e) {
    double share = e.activeShare(Bottleneck.WAITING) * 100;
    Strategy parallel = new Strategy("parallelism", String.format(Locale.ROOT,
        "%.0f%% of thread time is spent waiting; overlap the waits with more calls in flight",
        share), "Parallel.io (perf-parallel), bounded by a ConcurrencyLimit");
    Strategy batching = new Strategy("batching", "fewer, larger round trips to the database or"
        + " service", "RequestBatcher (perf-parallel), BatchWriter (perf-jdbc)");
    return switch (kind) {
      case FILE_SYNC -> List.of(new Strategy("sync once per batch", String.format(Locale.ROOT,
          "most of the waiting (%.0f%% of thread time) is for the disk to confirm syncs: group the"
              + " writes and sync once per batch or commit, not once per record", share),
          "RequestBatcher (perf-parallel) to group records; BatchWriter (perf-jdbc) for a database"),
          batching);
      case FILE -> List.of(new Strategy("larger file I/O", String.format(Locale.ROOT,
          "most of the waiting (%.0f%% of thread time) is file reads and writes: use larger,"
              + " buffered reads and writes, or overlap them", share),
          "Parallel.io (perf-parallel) to overlap reads"), parallel,
          new Strategy("caching", "do not read the same data twice", "Memoizer (perf-cache)"));
      case SLEEP -> List.of(new Strategy("fewer sleeps", String.format(Locale.ROOT,
          "most of the waiting (%.0f%% of thread time) is Thread.sleep: a poll loop or a fixed"
              + " delay; wait for the event instead, or pace calls by a rate limit", share),
          "Guard.rateLimit (perf-parallel) to pace calls without fixed sleeps"), parallel);
      case QUEUE -> List.of(new Strategy("faster producer", String.format(Locale.ROOT,
          "most of the waiting (%.0f%% of thread time) is on queues and conditions: the threads"
              + " wait for whatever fills them; profile the producer", share),
          "Profiler includeThreads (perf-core) to take the producer's threads in"), parallel);
      case SOCKET -> List.of(parallel, batching);
    };
  }

  /** Share of thread time queued for a core from which a "busy machine" finding is made. */
  static final double BUSY_MACHINE_SHARE = 0.10;

  /** Queue share from which the busy-machine finding says the split itself is uncertain. */
  static final double UNCERTAIN_SHARE = 0.25;

  private Diagnoser() {}

  /**
   * One thread's time during the section.
   *
   * @param wallNanos its wall time in the section
   * @param cpuNanos its CPU time, user and kernel
   * @param userNanos its user-mode CPU time, or -1 when unknown
   * @param lockNanos time blocked on monitors or parked on locks
   * @param queueNanos time runnable but queued for a CPU, or -1 when the OS does not tell
   * @param taskWaitNanos time waiting for other threads' work to finish (join, futures, latches)
   */
  public record ThreadTime(long wallNanos, long cpuNanos, long userNanos, long lockNanos,
      long queueNanos, long taskWaitNanos) {

    /** A thread that waits for no task. */
    public ThreadTime(long wallNanos, long cpuNanos, long userNanos, long lockNanos,
        long queueNanos) {
      this(wallNanos, cpuNanos, userNanos, lockNanos, queueNanos, 0);
    }

    /** A thread whose user time and run-queue time are unknown. */
    public ThreadTime(long wallNanos, long cpuNanos, long lockNanos) {
      this(wallNanos, cpuNanos, -1, lockNanos, -1, 0);
    }
  }

  /**
   * Where the section's threads spent their time.
   *
   * @param wallNanos the section's wall time
   * @param threads each thread's wall, CPU and lock time
   * @param gcNanos collection pauses during the section
   * @param collectorNanos the collector threads' CPU time in the section's share, or -1
   * @param allocatedBytes bytes allocated by the section's threads, or -1 when unknown
   * @param cores the processors the JVM may use
   * @param allocationShare the section's share of the bytes the JVM allocated during it, or -1 when
   *     unknown: the share of the collections it caused
   */
  public record SectionTime(long wallNanos, List<ThreadTime> threads, long gcNanos,
      long collectorNanos, long allocatedBytes, int cores, double allocationShare) {

    /** Copies the list. */
    public SectionTime {
      threads = List.copyOf(threads);
    }

    /** A section whose share of the JVM's allocation is unknown. */
    public SectionTime(long wallNanos, List<ThreadTime> threads, long gcNanos,
        long collectorNanos, long allocatedBytes, int cores) {
      this(wallNanos, threads, gcNanos, collectorNanos, allocatedBytes, cores, -1);
    }

    /** A section whose collector CPU is unknown, on this JVM's processors. */
    public SectionTime(long wallNanos, List<ThreadTime> threads, long gcNanos,
        long allocatedBytes) {
      this(wallNanos, threads, gcNanos, -1, allocatedBytes,
          Runtime.getRuntime().availableProcessors());
    }
  }

  /**
   * Contended monitors and locks, by name, with the time spent waiting for each.
   *
   * @param monitors {@code synchronized} monitors: nanoseconds blocked entering each
   * @param locks {@code java.util.concurrent} locks: nanoseconds parked on each
   */
  public record Contention(Map<String, Long> monitors, Map<String, Long> locks) {}

  /**
   * JDBC statement executions outside batches, among the section's samples.
   *
   * @param calls the outermost statement executions and their callers
   * @param samples all samples of the section (the share's denominator)
   */
  public record Statements(StackTree.Calls calls, long samples) {}

  /**
   * Where the time and the bytes went, for the findings.
   *
   * @param topSelf hottest methods by self samples
   * @param sites top allocation sites
   * @param contention contended monitors and locks
   * @param statements JDBC statement executions
   */
  public record Hotspots(List<Profile.MethodShare> topSelf,
      List<MemoryProfile.AllocationSite> sites, Contention contention, Statements statements,
      Waits waits, Heap heap, Rows rows) {

    /** Hotspots without rows read. */
    public Hotspots(List<Profile.MethodShare> topSelf, List<MemoryProfile.AllocationSite> sites,
        Contention contention, Statements statements, Waits waits, Heap heap) {
      this(topSelf, sites, contention, statements, waits, heap, Rows.NONE);
    }

    /** Hotspots without wait kinds, heap figures or rows read. */
    public Hotspots(List<Profile.MethodShare> topSelf, List<MemoryProfile.AllocationSite> sites,
        Contention contention, Statements statements) {
      this(topSelf, sites, contention, statements, new Waits(Map.of()), new Heap(-1, -1));
    }
  }

  /**
   * Rows JDBC result sets delivered to the section's threads, and rows they wrote in bulk.
   *
   * @param reads per statement shape, most rows first
   * @param written rows written in bulk ({@code BatchWriter}), the rows a section keeps
   */
  public record Rows(List<QueryRows.Read> reads, long written) {

    /** Nothing read, nothing written. */
    public static final Rows NONE = new Rows(List.of(), 0);

    /** Copies the list. */
    public Rows {
      reads = List.copyOf(reads);
    }
  }

  /** What the section's threads waited on, as JFR's wait events tell it. */
  public enum WaitKind {
    /** Socket reads and writes. */
    SOCKET("socket I/O"),
    /** File reads and writes. */
    FILE("file I/O"),
    /** {@code FileChannel.force} and friends: waiting for the disk to confirm. */
    FILE_SYNC("file syncs"),
    /** {@code Thread.sleep}. */
    SLEEP("sleeps"),
    /** Parks on queues and conditions: waiting for a producer. */
    QUEUE("queues and conditions");

    private final String label;

    WaitKind(String label) {
      this.label = label;
    }

    /** @return a short label */
    public String label() {
      return label;
    }
  }

  /**
   * Nanoseconds of wait events by kind (socket and file I/O of 100 us or more, every file sync,
   * sleeps and parks of 1 ms or more).
   *
   * @param byKind nanoseconds per kind
   */
  public record Waits(Map<WaitKind, Long> byKind) {

    /** Copies the map. */
    public Waits {
      byKind = Map.copyOf(byKind);
    }
  }

  /**
   * The heap's figures for remedies.
   *
   * @param peakBytes the highest heap in use during the section, or -1
   * @param maxBytes the heap's maximum ({@code -Xmx}), or -1 when unbounded or unknown
   */
  public record Heap(long peakBytes, long maxBytes) {}

  /**
   * Everything a diagnosis reads.
   *
   * @param time where the threads spent their time
   * @param hotspots where the time and bytes went
   */
  public record Input(SectionTime time, Hotspots hotspots) {}

  /**
   * Classifies a section; see {@link Diagnosis} for the rules.
   *
   * @param input the section's figures
   * @return the diagnosis
   */
  public static Diagnosis diagnose(Input input) {
    long wall = input.time().wallNanos();
    List<ThreadTime> times = input.time().threads();
    long gcNanos = input.time().gcNanos();
    long allocatedBytes = input.time().allocatedBytes();
    List<Profile.MethodShare> topSelf = input.hotspots().topSelf();
    List<MemoryProfile.AllocationSite> sites = input.hotspots().sites();
    Map<String, Long> monitors = input.hotspots().contention().monitors();
    Map<String, Long> locks = input.hotspots().contention().locks();
    StackTree.Calls statements = input.hotspots().statements().calls();
    long samples = input.hotspots().statements().samples();
    long threadNanos = 0;
    long cpu = 0;
    long user = 0;
    boolean userKnown = true;
    long queue = 0;
    boolean queueKnown = !times.isEmpty();
    long lock = 0;
    long waiting = 0;
    long ownWait = 0;
    boolean several = times.size() > 1; // only then can a thread wait for the section's own work
    for (ThreadTime t : times) {
      long w = Math.max(t.wallNanos(), 1);
      long c = Math.min(t.cpuNanos(), w);
      long l = Math.min(t.lockNanos(), w - c);
      long q = t.queueNanos() < 0 ? 0 : Math.min(t.queueNanos(), w - c - l);
      long g = Math.min(gcNanos, w - c - l - q);
      queueKnown &= t.queueNanos() >= 0;
      userKnown &= t.userNanos() >= 0;
      threadNanos += w;
      cpu += c;
      user += t.userNanos() < 0 ? 0 : Math.min(t.userNanos(), c);
      lock += l;
      queue += q;
      long rest = Math.max(0, w - c - l - q - g);
      long own = several ? Math.min(t.taskWaitNanos(), rest) : 0;
      ownWait += own;
      waiting += rest - own;
    }
    int cores = Math.max(1, input.time().cores());
    double total = Math.max(threadNanos, 1);
    double cpuShare = cpu / total;
    double queueShare = queueKnown ? queue / total : -1;
    double lockShare = lock / total;
    double waitShare = waiting / total;
    double ownShare = ownWait / total;
    double gcShare = wall <= 0 ? 0 : Math.min(1, (double) gcNanos / wall);
    double ownAllocation = input.time().allocationShare();
    // the collections the section's own allocation caused: pauses for other threads' garbage
    // stop it too, but allocating less in it would not help
    double gcOwnShare = ownAllocation < 0 ? gcShare : gcShare * ownAllocation;
    long rateCpu = userKnown && user > 0 ? user : cpu; // kernel time is not the code's own work
    double rate = allocatedBytes < 0 || rateCpu <= 0 ? -1 : allocatedBytes / (rateCpu / 1e9);
    double runnable = wall <= 0 ? 0 : (double) (cpu + queue) / wall;
    double statementShare = samples <= 0 ? 0 : (double) statements.samples() / samples;
    Diagnosis.Evidence evidence = new Diagnosis.Evidence(wall, times.size(), threadNanos, cpu,
        queueKnown ? queue : -1, lock, waiting, ownWait, gcNanos, input.time().collectorNanos(),
        allocatedBytes, cpuShare, queueShare, lockShare, waitShare, gcShare, rate, statementShare,
        runnable, cores);
    // the shares the verdict weighs, defined once on the evidence (see Evidence.activeShare)
    boolean oversubscribed = evidence.oversubscribed();
    double cpuActive = evidence.activeShare(Bottleneck.CPU_BOUND);
    double lockActive = evidence.activeShare(Bottleneck.LOCK_CONTENTION);
    double waitActive = evidence.activeShare(Bottleneck.WAITING);
    double starved = oversubscribed ? queueShare : 0;
    Bottleneck b;
    if (gcOwnShare >= Diagnosis.GC_SHARE) {
      b = Bottleneck.GC_PRESSURE;
    } else if (lockActive > 0 && lockActive >= cpuActive && lockActive >= waitActive
        && lockActive >= starved) {
      b = Bottleneck.LOCK_CONTENTION;
    } else if (starved > 0 && starved >= cpuActive && starved >= waitActive) {
      b = Bottleneck.CPU_STARVED;
    } else if (waitActive >= cpuActive) {
      b = Bottleneck.WAITING;
    } else if (rate >= Diagnosis.ALLOCATION_RATE) {
      b = Bottleneck.GC_PRESSURE;
    } else {
      b = Bottleneck.CPU_BOUND;
    }
    Map<Bottleneck, Double> shares = new EnumMap<>(Bottleneck.class);
    shares.put(Bottleneck.CPU_BOUND, cpuActive);
    shares.put(Bottleneck.LOCK_CONTENTION, lockActive);
    shares.put(Bottleneck.WAITING, waitActive);
    if (oversubscribed) {
      shares.put(Bottleneck.CPU_STARVED, starved);
    }
    Optional<Bottleneck> runnerUp = runnerUp(b, shares);
    List<String> findings = new ArrayList<>();
    if (queueKnown && !oversubscribed && queueShare >= BUSY_MACHINE_SHARE) {
      findings.add(String.format(Locale.ROOT, "busy machine: %.0f%% of thread time was spent"
          + " queued for a core while the section kept %.1f thread(s) runnable on %d cores; other"
          + " work on this machine held the CPUs, so wall times are inflated and the verdict"
          + " weighs the time not queued%s", queueShare * 100, runnable, cores,
          queueShare >= UNCERTAIN_SHARE ? "; at this load CPU times inflate too, so measure on a"
              + " quieter machine before acting on the split" : ""));
    } else if (!queueKnown && waitShare >= BUSY_MACHINE_SHARE) {
      findings.add("run-queue time unknown: this system does not tell how long a thread waited for"
          + " a core, so waiting may include time runnable but queued");
    }
    Optional<WaitKind> waitKind = topWait(input.hotspots().waits(), waiting);
    if (!input.hotspots().waits().byKind().isEmpty()) {
      long seen = input.hotspots().waits().byKind().values().stream().mapToLong(Long::longValue)
          .sum();
      StringBuilder kinds = new StringBuilder();
      input.hotspots().waits().byKind().entrySet().stream()
          .sorted(Map.Entry.<WaitKind, Long>comparingByValue().reversed())
          .forEach(e -> kinds.append(kinds.length() == 0 ? "" : ", ").append(e.getKey().label())
              .append(' ').append(Format.duration(e.getValue())));
      findings.add("waits seen: " + kinds + " (" + Format.duration(seen) + " in all, summed over"
          + " threads; I/O waits of 100 us or more, sleeps and parks of 1 ms or more)");
    }
    if (times.isEmpty()) {
      findings.add("no thread of the section took part: nothing to diagnose");
    } else if (samples == 0 && cpu >= 50_000_000L) {
      findings.add("no samples: JFR sampled none of the section's threads although they computed "
          + Format.duration(cpu) + ", so the hot methods are unknown; profile it again");
    }
    if (gcShare >= Diagnosis.GC_SHARE && gcOwnShare < Diagnosis.GC_SHARE) {
      findings.add(String.format(Locale.ROOT, "GC pauses took %.0f%% of wall time, but the section"
          + " allocated only %.0f%% of the JVM's bytes meanwhile: other threads' garbage stopped it",
          gcShare * 100, ownAllocation * 100));
    }
    if (ownShare >= BUSY_MACHINE_SHARE) {
      findings.add(String.format(Locale.ROOT, "%.0f%% of thread time was spent waiting for the"
          + " section's own threads (join, futures, latches): the verdict follows the work they"
          + " did", ownShare * 100));
    }
    if (!topSelf.isEmpty()) {
      Profile.MethodShare m = topSelf.get(0);
      findings.add(String.format(Locale.ROOT, "hottest method: %s (%.0f%% of samples)", m.method(),
          m.share() * 100));
    }
    if (!sites.isEmpty()) {
      MemoryProfile.AllocationSite s = sites.get(0);
      findings.add(String.format(Locale.ROOT, "top allocation site: %s (%.0f%% of sampled bytes)",
          s.site(), s.share() * 100));
    }
    top(monitors).ifPresent(e -> findings.add("most contended monitor: " + e.getKey() + " ("
        + Format.duration(e.getValue()) + " blocked in entries of 1 ms or more)"));
    top(locks).ifPresent(e -> findings.add("most contended lock: " + e.getKey() + " ("
        + Format.duration(e.getValue()) + " parked in waits of 1 ms or more)"));
    List<Strategy> strategies = new ArrayList<>();
    rowsRead(input.hotspots().rows(), wall, findings, strategies);
    if (statementShare >= Diagnosis.STATEMENT_SHARE) {
      String frame = top(statements.byFrame()).map(Map.Entry::getKey).orElse("?");
      Map.Entry<String, Long> caller = top(statements.byCaller()).orElseThrow();
      findings.add(String.format(Locale.ROOT, "JDBC statements: %.0f%% of samples inside statement"
          + " executions (%s), most called from %s (%.0f%% of samples)", statementShare * 100,
          frame, caller.getKey(), 100.0 * caller.getValue() / samples));
      if (frame.endsWith(".executeQuery")) { // a query per item: the N+1 pattern
        strategies.add(new Strategy("fewer statements", String.format(Locale.ROOT,
            "%.0f%% of the samples execute JDBC statements, mostly queries from %s: a query per"
                + " item pays an execution (and, with a server, a round trip) per item; fetch many"
                + " keys in one query, or keep the answers", statementShare * 100,
            caller.getKey()), "Memoizer (perf-cache), StreamingQuery (perf-jdbc)"));
      } else {
        strategies.add(new Strategy("fewer statements", String.format(Locale.ROOT,
            "%.0f%% of the samples execute JDBC statements, most from %s: a statement per row"
                + " pays an execution (and, with a server, a round trip) per row; batch or"
                + " bulk-load the writes", statementShare * 100, caller.getKey()),
            "BatchWriter (perf-jdbc)"));
      }
    }
    Remedies r = new Remedies(evidence, topSelf, sites, waitKind, input.hotspots().heap());
    strategies.addAll(strategies(b, r));
    if (runnerUp.isPresent()) { // the runner-up's strategies follow, each name once
      Set<String> names = new LinkedHashSet<>();
      strategies.forEach(s -> names.add(s.name()));
      for (Strategy s : strategies(runnerUp.get(), r)) {
        if (names.add(s.name())) {
          strategies.add(s);
        }
      }
    }
    return new Diagnosis(b, runnerUp, evidence, findings, strategies);
  }

  /**
   * The rows-read finding: a shape whose result sets delivered at least {@link Diagnosis#ROWS_READ}
   * rows, and at least {@link Diagnosis#ROWS_READ_RATIO} times the rows the section wrote in bulk
   * (a section that copies rows keeps them). When reading them took at least
   * {@link Diagnosis#STATEMENT_SHARE} of the section's wall time, "filter in the database" comes
   * first among the strategies.
   */
  private static void rowsRead(Rows rows, long wall, List<String> findings,
      List<Strategy> strategies) {
    boolean advised = false;
    for (QueryRows.Read r : rows.reads()) {
      if (r.rows() < Diagnosis.ROWS_READ
          || r.rows() < Diagnosis.ROWS_READ_RATIO * Math.max(1, rows.written())) {
        continue;
      }
      double share = wall <= 0 ? 0 : Math.min(1, (double) r.openNanos() / wall);
      String shape = Format.cut(r.shape(), 160);
      findings.add(String.format(Locale.ROOT, "rows read: %s rows from `%s` in %s (%d result"
          + " set%s open %.0f%% of the section), called from %s%s: if the section keeps far fewer"
          + " than it reads, filter or aggregate in the database, or stream", Format.count(r.rows()),
          shape, Format.duration(r.openNanos()), r.resultSets(), r.resultSets() == 1 ? "" : "s",
          share * 100, r.caller(), rows.written() > 0 ? ", while it wrote "
              + Format.count(rows.written()) + " rows" : ""));
      if (!advised && share >= Diagnosis.STATEMENT_SHARE) {
        advised = true;
        strategies.add(new Strategy("filter in the database", String.format(Locale.ROOT,
            "%s rows of `%s` travel to Java (%.0f%% of the section's time, from %s): put the filter"
                + " in a WHERE clause and the aggregation in GROUP BY, so only the rows kept are"
                + " read", Format.count(r.rows()), shape, share * 100, r.caller()),
            "StreamingQuery (perf-jdbc) for rows that must be read, in constant memory;"
                + " KeyFetcher (perf-jdbc) to fetch only the keys needed"));
      }
    }
  }

  /** The largest of the other causes besides the verdict's own, if large enough. */
  private static Optional<Bottleneck> runnerUp(Bottleneck verdict, Map<Bottleneck, Double> shares) {
    shares.remove(verdict == Bottleneck.GC_PRESSURE ? Bottleneck.CPU_BOUND : verdict);
    return shares.entrySet().stream()
        .filter(e -> e.getValue() >= Diagnosis.RUNNER_UP_SHARE)
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey);
  }

  private static java.util.Optional<Map.Entry<String, Long>> top(Map<String, Long> counts) {
    return counts.entrySet().stream().max(Map.Entry.comparingByValue());
  }

  /** What the strategies are chosen from. */
  private record Remedies(Diagnosis.Evidence e, List<Profile.MethodShare> topSelf,
      List<MemoryProfile.AllocationSite> sites, Optional<WaitKind> waitKind, Heap heap) {}

  /**
   * The kind that took most of the classified waits, when the events explain at least a quarter of
   * the waiting time (else the kind is unknown and the general remedies stand).
   */
  private static Optional<WaitKind> topWait(Waits waits, long waitingNanos) {
    long seen = waits.byKind().values().stream().mapToLong(Long::longValue).sum();
    if (seen <= 0 || seen < waitingNanos / 4) {
      return Optional.empty();
    }
    return waits.byKind().entrySet().stream().max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey);
  }

  /** Share of the maximum heap from which GC pressure says the heap is too small. */
  static final double FULL_HEAP_SHARE = 0.90;

  private static List<Strategy> strategies(Bottleneck b, Remedies r) {
    Diagnosis.Evidence e = r.e();
    List<Profile.MethodShare> topSelf = r.topSelf();
    List<MemoryProfile.AllocationSite> sites = r.sites();
    if (b == Bottleneck.WAITING && r.waitKind().isPresent()
        && r.waitKind().get() != WaitKind.SOCKET) {
      return waitingOn(r.waitKind().get(), e);
    }
    if (b == Bottleneck.GC_PRESSURE && r.heap().maxBytes() > 0
        && r.heap().peakBytes() >= FULL_HEAP_SHARE * r.heap().maxBytes()) {
      List<Strategy> out = new ArrayList<>();
      out.add(new Strategy("bigger heap", String.format(Locale.ROOT, "the heap peaked at %s of"
          + " its %s maximum: the live data leaves the collector no room, so it collects again and"
          + " again; raise -Xmx, or keep less alive", Format.bytes(r.heap().peakBytes()),
          Format.bytes(r.heap().maxBytes())), "-Xmx (JVM option); Memoizer with maximumSize"
          + " (perf-cache) for caches that grow"));
      out.addAll(strategies(b, new Remedies(e, topSelf, sites, r.waitKind(), new Heap(-1, -1))));
      return out;
    }
    String hot = topSelf.isEmpty() ? "the hottest methods" : topSelf.get(0).method();
    String site = sites.isEmpty() ? "the top allocation sites" : sites.get(0).site();
    int cores = Runtime.getRuntime().availableProcessors();
    return switch (b) {
      case CPU_STARVED -> List.of(
          new Strategy("fewer threads", String.format(Locale.ROOT,
              "the section kept %.1f threads runnable on %d cores and they spent %.0f%% of their"
                  + " time queued for a core; run no more CPU-bound threads than cores (more threads"
                  + " make it worse)", e.runnable(), e.cores(), e.queueShare() * 100),
              "Parallel.cpu (perf-parallel), a pool sized to the cores"),
          new Strategy("smaller pool", "keep blocking calls off the CPU pool and bound the pools"
              + " that do wait, so they do not crowd the cores",
              "Parallel.io with a ConcurrencyLimit (perf-parallel)"),
          new Strategy("algorithm", String.format(Locale.ROOT,
              "less CPU per item shortens every queue; the hottest method is %s", hot),
              "Compare (perf-core) to prove the rewrite faster"));
      case CPU_BOUND -> List.of(
          new Strategy("algorithm", String.format(Locale.ROOT,
              "%.0f%% of thread time is on CPU; a cheaper algorithm or"
                  + " data structure in %s pays most", e.activeShare(Bottleneck.CPU_BOUND) * 100,
              hot),
              "Compare (perf-core) to prove the rewrite faster"),
          new Strategy("caching", "if the same inputs come back, compute each once",
              "Memoizer (perf-cache)"),
          new Strategy("parallelism", e.threads() < cores
              ? "the work ran on " + e.threads() + " thread(s) of " + cores + " cores; split"
                  + " independent items across them"
              : "all " + cores + " cores are busy already; parallelism only helps on a bigger machine",
              "Parallel.cpu (perf-parallel)"));
      case WAITING -> List.of(
          new Strategy("parallelism", String.format(Locale.ROOT,
              "%.0f%% of thread time is spent waiting; overlap the waits with more calls in flight",
              e.activeShare(Bottleneck.WAITING) * 100), "Parallel.io (perf-parallel), bounded by a ConcurrencyLimit"),
          new Strategy("batching", "fewer, larger round trips to the database or service",
              "RequestBatcher (perf-parallel), BatchWriter (perf-jdbc)"),
          new Strategy("caching", "do not wait twice for the same answer",
              "Memoizer (perf-cache), RedisTier (perf-cache-redis)"));
      case GC_PRESSURE -> List.of(
          new Strategy("fewer allocations", String.format(Locale.ROOT,
              "GC pauses took %.0f%% of wall time and the section allocated %s per CPU-second;"
                  + " start with %s", e.gcShare() * 100,
              e.allocationRate() < 0 ? "n/a" : Format.bytes((long) e.allocationRate()), site),
              "Compare (perf-core) reports allocation per call"),
          new Strategy("streaming", "process rows as they arrive instead of materializing lists",
              "StreamingQuery (perf-jdbc)"),
          new Strategy("caching", "keep computed values instead of rebuilding them, within a size"
              + " bound", "Memoizer with maximumSize (perf-cache)"));
      case LOCK_CONTENTION -> List.of(
          new Strategy("shorter critical sections", String.format(Locale.ROOT,
              "%.0f%% of thread time is spent blocked on locks; hold them for less, split them,"
                  + " or use concurrent structures", e.activeShare(Bottleneck.LOCK_CONTENTION) * 100),
              "Memoizer (perf-cache) instead of a synchronized map cache"),
          new Strategy("fewer contenders", "limit how many threads compete for the resource",
              "ConcurrencyLimit (perf-parallel)"),
          new Strategy("batching", "take the lock once per batch instead of once per item",
              "RequestBatcher (perf-parallel)"));
    };
  }
}
