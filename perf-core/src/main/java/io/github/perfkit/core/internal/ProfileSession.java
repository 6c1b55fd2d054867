package io.github.perfkit.core.internal;

import io.github.perfkit.core.CheckedRunnable;
import io.github.perfkit.core.Diagnosis;
import io.github.perfkit.core.FlameGraph;
import io.github.perfkit.core.MemoryProfile;
import io.github.perfkit.core.Profile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Runs one profiled section: census, JFR recording, section, census, read back, summarize. */
public final class ProfileSession {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private ProfileSession() {}

  /** See {@code Profiler.Builder.profile}. */
  public static <E extends Exception> Profile run(String name, Duration period, int top,
      boolean allocations, boolean nativeSamples, boolean allThreads,
      Predicate<String> extraThreads, CheckedRunnable<E> section) throws E {
    Thread caller = Thread.currentThread();
    long callerId = caller.getId();
    ThreadCensus.acquireContention();
    JfrCapture capture = null;
    try {
      capture = JfrCapture.start(period, allocations, nativeSamples);
      long idFloor = new Thread(() -> { }).getId(); // ids only grow: later threads have larger ids
      ThreadCensus before = ThreadCensus.take();
      long heapStart = MEMORY.getHeapMemoryUsage().getUsed();
      Instant from = Instant.now();
      long cpu0 = ThreadMeters.cpuNanos();
      long alloc0 = ThreadMeters.allocatedBytes();
      long t0 = System.nanoTime();
      section.run();
      long t1 = System.nanoTime();
      long alloc1 = ThreadMeters.allocatedBytes();
      long cpu1 = ThreadMeters.cpuNanos();
      Instant to = Instant.now();
      long heapEnd = MEMORY.getHeapMemoryUsage().getUsed();
      ThreadCensus after = ThreadCensus.take();
      Predicate<Long> byId = id -> allThreads || id == callerId || id > idFloor;
      JfrCapture.Data data = capture.stop(from, to,
          (id, threadName) -> byId.test(id) || extraThreads.test(threadName));
      capture = null;
      return summarize(name, period, top, t1 - t0, callerId, alloc1 - alloc0, cpu1 - cpu0, before,
          after, data, heapStart, heapEnd, byId, extraThreads);
    } finally {
      if (capture != null) {
        capture.close();
      }
      ThreadCensus.releaseContention();
    }
  }

  private static Profile summarize(String name, Duration period, int top, long wall, long callerId,
      long callerAlloc, long callerCpu, ThreadCensus before, ThreadCensus after,
      JfrCapture.Data data, long heapStart, long heapEnd, Predicate<Long> byId,
      Predicate<String> extraThreads) {
    List<Profile.ThreadProfile> threads = new ArrayList<>();
    List<Diagnoser.ThreadTime> times = new ArrayList<>();
    long allocated = 0;
    boolean exact = ThreadMeters.allocationSupported();
    for (ThreadCensus.ThreadCounters end : after.threads().values()) {
      long id = end.id();
      if (!byId.test(id) && !extraThreads.test(end.name())) {
        continue;
      }
      ThreadCensus.ThreadCounters start = before.threads().get(id);
      long cpu = id == callerId && callerCpu >= 0 ? callerCpu : delta(end.cpuNanos(),
          start == null ? 0 : start.cpuNanos());
      long alloc = id == callerId && callerAlloc >= 0 ? callerAlloc : delta(end.allocatedBytes(),
          start == null ? 0 : start.allocatedBytes());
      long blocked = delta(end.blockedNanos(), start == null ? 0 : start.blockedNanos());
      long waited = delta(end.waitedNanos(), start == null ? 0 : start.waitedNanos());
      JfrCapture.ThreadData jfr = data.threads.remove(id);
      long samples = jfr == null ? 0 : jfr.stacks.samples();
      boolean active = id == callerId || samples > 0 || cpu > 1_000_000 || blocked > 0
          || alloc > 64 * 1024;
      if (!active) {
        continue;
      }
      if (alloc >= 0) {
        allocated += alloc;
      } else {
        exact = false;
      }
      threads.add(new Profile.ThreadProfile(id, end.name(), samples, cpu, alloc, blocked, waited,
          jfr == null ? List.of() : shares(StackTree.top(jfr.stacks.self(), top), samples),
          jfr == null ? List.of() : shares(StackTree.top(jfr.stacks.cumulative(), top), samples)));
      times.add(new Diagnoser.ThreadTime(wall, Math.max(0, cpu), Math.max(0, blocked)
          + (jfr == null ? 0 : jfr.lockParkedNanos)));
    }
    // threads that ended inside the section: JFR is all we have
    for (JfrCapture.ThreadData gone : data.threads.values()) {
      long samples = gone.stacks.samples();
      exact = false;
      long busy = samples * period.toNanos();
      threads.add(new Profile.ThreadProfile(gone.id, gone.name, samples, -1, -1, -1, -1,
          shares(StackTree.top(gone.stacks.self(), top), samples),
          shares(StackTree.top(gone.stacks.cumulative(), top), samples)));
      times.add(new Diagnoser.ThreadTime(busy + gone.monitorBlockedNanos + gone.lockParkedNanos,
          busy, gone.monitorBlockedNanos + gone.lockParkedNanos));
    }
    threads.sort(Comparator.comparingLong(Profile.ThreadProfile::samples).reversed()
        .thenComparing(t -> t.id() != callerId));
    long total = data.merged.samples();
    List<MemoryProfile.AllocationSite> sites = new ArrayList<>();
    for (Map.Entry<String, Long> e : StackTree.top(data.allocationSites, top)) {
      sites.add(new MemoryProfile.AllocationSite(e.getKey(), e.getValue(),
          data.allocationWeight == 0 ? 0 : (double) e.getValue() / data.allocationWeight));
    }
    long gcNanos = Math.max(0, after.gcNanos() - before.gcNanos());
    long gcCount = Math.max(0, after.gcCount() - before.gcCount());
    long peak = Math.max(Math.max(heapStart, heapEnd), data.maxHeapUsedBeforeGc);
    MemoryProfile memory = new MemoryProfile(ThreadMeters.allocationSupported() ? allocated : -1,
        exact, sites, data.allocationWeight, heapStart, peak, heapEnd, gcCount, gcNanos);
    List<Profile.MethodShare> topSelf = shares(StackTree.top(data.merged.self(), top), total);
    Diagnosis diagnosis = Diagnoser.diagnose(wall, times, gcNanos, memory.allocatedBytes(),
        topSelf, sites, data.contendedMonitors, data.contendedLocks,
        statements(data.merged), total);
    FlameGraph flame = new FlameGraph(name, data.merged.folded(),
        data.merged.json(FlameGraph.MIN_SHARE), data.merged.self(), data.merged.cumulative());
    return new Profile(name, wall, period, total, data.nativeSamples, data.truncatedStacks,
        topSelf, shares(StackTree.top(data.merged.cumulative(), top), total), threads, memory, diagnosis,
        flame);
  }

  /** Statement executions outside batches: batched statements are already the remedy. */
  private static StackTree.Calls statements(StackTree tree) {
    JdbcFrames jdbc = new JdbcFrames();
    return tree.outermost(jdbc, jdbc.batch());
  }

  private static long delta(long end, long start) {
    if (end < 0 || start < 0) {
      return -1;
    }
    return Math.max(0, end - start);
  }

  private static List<Profile.MethodShare> shares(List<Map.Entry<String, Long>> entries,
      long total) {
    List<Profile.MethodShare> out = new ArrayList<>(entries.size());
    for (Map.Entry<String, Long> e : entries) {
      out.add(new Profile.MethodShare(e.getKey(), e.getValue(),
          total == 0 ? 0 : (double) e.getValue() / total));
    }
    return out;
  }
}
