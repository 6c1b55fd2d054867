package io.github.perfkit.core.internal;

import io.github.perfkit.core.Diagnosis;
import io.github.perfkit.core.Diagnosis.Bottleneck;
import io.github.perfkit.core.Diagnosis.Strategy;
import io.github.perfkit.core.MemoryProfile;
import io.github.perfkit.core.Profile;
import io.github.perfkit.core.Reports;
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

  private Diagnoser() {}

  /** One thread's wall, CPU and lock time during the section. */
  public record ThreadTime(long wallNanos, long cpuNanos, long lockNanos) {}

  /** See {@link Diagnosis}. */
  public static Diagnosis diagnose(long wall, List<ThreadTime> times, long gcNanos,
      long allocatedBytes, List<Profile.MethodShare> topSelf,
      List<MemoryProfile.AllocationSite> sites, Map<String, Long> monitors,
      Map<String, Long> locks, StackTree.Calls statements, long samples) {
    long threadNanos = 0;
    long cpu = 0;
    long lock = 0;
    long waiting = 0;
    for (ThreadTime t : times) {
      long w = Math.max(t.wallNanos(), 1);
      long c = Math.min(t.cpuNanos(), w);
      long l = Math.min(t.lockNanos(), w - c);
      long g = Math.min(gcNanos, w - c - l);
      threadNanos += w;
      cpu += c;
      lock += l;
      waiting += Math.max(0, w - c - l - g);
    }
    double total = Math.max(threadNanos, 1);
    double cpuShare = cpu / total;
    double lockShare = lock / total;
    double waitShare = waiting / total;
    double gcShare = wall <= 0 ? 0 : Math.min(1, (double) gcNanos / wall);
    double rate = allocatedBytes < 0 || cpu <= 0 ? -1 : allocatedBytes / (cpu / 1e9);
    Bottleneck b;
    if (gcShare >= Diagnosis.GC_SHARE) {
      b = Bottleneck.GC_PRESSURE;
    } else if (lockShare >= cpuShare && lockShare >= waitShare) {
      b = Bottleneck.LOCK_CONTENTION;
    } else if (waitShare >= cpuShare) {
      b = Bottleneck.WAITING;
    } else if (rate >= Diagnosis.ALLOCATION_RATE) {
      b = Bottleneck.GC_PRESSURE;
    } else {
      b = Bottleneck.CPU_BOUND;
    }
    Optional<Bottleneck> runnerUp = runnerUp(b, cpuShare, lockShare, waitShare);
    double statementShare = samples <= 0 ? 0 : (double) statements.samples() / samples;
    Diagnosis.Evidence evidence = new Diagnosis.Evidence(wall, times.size(), threadNanos, cpu, lock,
        waiting, gcNanos, allocatedBytes, cpuShare, lockShare, waitShare, gcShare, rate,
        statementShare);
    List<String> findings = new ArrayList<>();
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
        + Reports.duration(e.getValue()) + " blocked in entries of 1 ms or more)"));
    top(locks).ifPresent(e -> findings.add("most contended lock: " + e.getKey() + " ("
        + Reports.duration(e.getValue()) + " parked in waits of 1 ms or more)"));
    List<Strategy> strategies = new ArrayList<>();
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
    strategies.addAll(strategies(b, evidence, topSelf, sites));
    if (runnerUp.isPresent()) { // the runner-up's strategies follow, each name once
      Set<String> names = new LinkedHashSet<>();
      strategies.forEach(s -> names.add(s.name()));
      for (Strategy s : strategies(runnerUp.get(), evidence, topSelf, sites)) {
        if (names.add(s.name())) {
          strategies.add(s);
        }
      }
    }
    return new Diagnosis(b, runnerUp, evidence, findings, strategies);
  }

  /** The largest of CPU, lock and waiting time besides the verdict's own, if large enough. */
  private static Optional<Bottleneck> runnerUp(Bottleneck verdict, double cpuShare,
      double lockShare, double waitShare) {
    Map<Bottleneck, Double> shares = new EnumMap<>(Bottleneck.class);
    shares.put(Bottleneck.CPU_BOUND, cpuShare);
    shares.put(Bottleneck.LOCK_CONTENTION, lockShare);
    shares.put(Bottleneck.WAITING, waitShare);
    shares.remove(verdict == Bottleneck.GC_PRESSURE ? Bottleneck.CPU_BOUND : verdict);
    return shares.entrySet().stream()
        .filter(e -> e.getValue() >= Diagnosis.RUNNER_UP_SHARE)
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey);
  }

  private static java.util.Optional<Map.Entry<String, Long>> top(Map<String, Long> counts) {
    return counts.entrySet().stream().max(Map.Entry.comparingByValue());
  }

  private static List<Strategy> strategies(Bottleneck b, Diagnosis.Evidence e,
      List<Profile.MethodShare> topSelf, List<MemoryProfile.AllocationSite> sites) {
    String hot = topSelf.isEmpty() ? "the hottest methods" : topSelf.get(0).method();
    String site = sites.isEmpty() ? "the top allocation sites" : sites.get(0).site();
    int cores = Runtime.getRuntime().availableProcessors();
    return switch (b) {
      case CPU_BOUND -> List.of(
          new Strategy("algorithm", String.format(Locale.ROOT,
              "%.0f%% of thread time is on CPU; a cheaper algorithm or data structure in %s pays"
                  + " most", e.cpuShare() * 100, hot),
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
              e.waitingShare() * 100), "Parallel.io (perf-parallel), bounded by a ConcurrencyLimit"),
          new Strategy("batching", "fewer, larger round trips to the database or service",
              "RequestBatcher (perf-parallel), BatchWriter (perf-jdbc)"),
          new Strategy("caching", "do not wait twice for the same answer",
              "Memoizer (perf-cache), RedisTier (perf-cache-redis)"));
      case GC_PRESSURE -> List.of(
          new Strategy("fewer allocations", String.format(Locale.ROOT,
              "GC pauses took %.0f%% of wall time and the section allocated %s per CPU-second;"
                  + " start with %s", e.gcShare() * 100,
              e.allocationRate() < 0 ? "n/a" : Reports.bytes((long) e.allocationRate()), site),
              "Compare (perf-core) reports allocation per call"),
          new Strategy("streaming", "process rows as they arrive instead of materializing lists",
              "StreamingQuery (perf-jdbc)"),
          new Strategy("caching", "keep computed values instead of rebuilding them, within a size"
              + " bound", "Memoizer with maximumSize (perf-cache)"));
      case LOCK_CONTENTION -> List.of(
          new Strategy("shorter critical sections", String.format(Locale.ROOT,
              "%.0f%% of thread time is spent blocked on locks; hold them for less, split them,"
                  + " or use concurrent structures", e.lockShare() * 100),
              "Memoizer (perf-cache) instead of a synchronized map cache"),
          new Strategy("fewer contenders", "limit how many threads compete for the resource",
              "ConcurrencyLimit (perf-parallel)"),
          new Strategy("batching", "take the lock once per batch instead of once per item",
              "RequestBatcher (perf-parallel)"));
    };
  }
}
