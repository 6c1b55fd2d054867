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
  /** How often the kernel's task counters are read, for threads that end inside the section. */
  private static final Duration WATCH_INTERVAL = Duration.ofMillis(20);

  private ProfileSession() {}

  /**
   * Profiles {@code section} on the calling thread (see {@code Profiler.profile}).
   *
   * @param settings what to record
   * @param section the code
   * @param <E> what the section may throw
   * @return what was measured
   * @throws E whatever the section throws, unchanged
   */
  public static <E extends Exception> ProfileParts run(ProfileSettings settings,
      CheckedRunnable<E> section) throws E {
    boolean allThreads = settings.threads().all();
    Predicate<String> extraThreads = settings.threads().extra();
    Thread caller = Thread.currentThread();
    long callerId = caller.getId();
    ThreadCensus.acquireContention();
    JfrCapture capture = null;
    OsThreads.Lease watcher = null;
    QueryRows.Window rows = null;
    try {
      capture = JfrCapture.start(settings);
      watcher = OsThreads.watch(WATCH_INTERVAL); // before the id floor: never in scope itself
      rows = QueryRows.start();
      long idFloor = new Thread(() -> { }).getId(); // ids only grow: later threads have larger ids
      ThreadCensus before = ThreadCensus.take();
      Map<Long, OsThreads.Task> tasksBefore = OsThreads.snapshot();
      long heapStart = MEMORY.getHeapMemoryUsage().getUsed();
      OsThreads.Task self0 = OsThreads.current(); // outside the window: its reads allocate
      long user0 = ThreadMeters.userNanos();
      Instant from = Instant.now();
      long cpu0 = ThreadMeters.cpuNanos();
      long alloc0 = ThreadMeters.allocatedBytes();
      long t0 = System.nanoTime();
      section.run();
      long t1 = System.nanoTime();
      long alloc1 = ThreadMeters.allocatedBytes();
      long cpu1 = ThreadMeters.cpuNanos();
      Instant to = Instant.now();
      long user1 = ThreadMeters.userNanos();
      OsThreads.Task self1 = OsThreads.current();
      long heapEnd = MEMORY.getHeapMemoryUsage().getUsed();
      // live tasks as they are now; the watcher's last word for those that ended
      Map<Long, OsThreads.Task> tasksAfter = watcher.seen();
      ThreadCensus after = ThreadCensus.take();
      rows.close();
      watcher.close();
      watcher = null;
      long watcherId = OsThreads.watcherThreadId();
      boolean withCaller = settings.threads().caller(); // Profiler.Builder.excludeCallingThread()
      Predicate<Long> byId = id -> id != watcherId
          && (id == callerId ? withCaller : allThreads || id > idFloor);
      JfrCapture.Data data = capture.stop(from, to,
          (id, threadName) -> byId.test(id) || id != callerId && extraThreads.test(threadName));
      capture = null;
      long queue = self0 == null || self1 == null ? -1 : self1.queueNanos() - self0.queueNanos();
      Caller figures = new Caller(callerId, self1 == null ? -1 : self1.tid(), t1 - t0,
          cpu1 - cpu0, user0 < 0 || user1 < 0 ? -1 : user1 - user0, queue, alloc1 - alloc0);
      Census census = new Census(before, after, tasksBefore, tasksAfter, heapStart, heapEnd);
      Diagnoser.Rows rowsRead = new Diagnoser.Rows(rows.reads(byId::test), rows.written(byId::test));
      return summarize(settings, new Measured(figures, census, data, byId,
          new Window(from, to), rowsRead));
    } finally {
      if (capture != null) {
        capture.close();
      }
      if (watcher != null) {
        watcher.close();
      }
      if (rows != null) {
        rows.close();
      }
      ThreadCensus.releaseContention();
    }
  }

  /** The calling thread's own figures, read around the section; -1 where unknown. */
  private record Caller(long id, long tid, long wallNanos, long cpuNanos, long userNanos,
      long queueNanos, long allocatedBytes) {}

  /** The threads, the kernel's tasks and the heap before and after the section. */
  private record Census(ThreadCensus before, ThreadCensus after, Map<Long, OsThreads.Task>
      tasksBefore, Map<Long, OsThreads.Task> tasksAfter, long heapStart, long heapEnd) {}

  /** What a section left to summarize, and which thread ids are in scope. */
  private record Measured(Caller caller, Census census, JfrCapture.Data data,
      Predicate<Long> byId, Window window, Diagnoser.Rows rows) {}

  /** The section's start and end on the wall clock, as JFR's events are stamped. */
  private record Window(Instant from, Instant to) {}

  private static ProfileParts summarize(ProfileSettings settings, Measured measured) {
    String name = settings.name();
    Duration period = settings.period();
    int top = settings.top();
    Predicate<String> extraThreads = settings.threads().extra();
    long wall = measured.caller().wallNanos();
    long callerId = measured.caller().id();
    long callerAlloc = measured.caller().allocatedBytes();
    long callerCpu = measured.caller().cpuNanos();
    ThreadCensus before = measured.census().before();
    ThreadCensus after = measured.census().after();
    long heapStart = measured.census().heapStart();
    long heapEnd = measured.census().heapEnd();
    JfrCapture.Data data = measured.data();
    Predicate<Long> byId = measured.byId();
    List<Profile.ThreadProfile> threads = new ArrayList<>();
    List<Diagnoser.ThreadTime> times = new ArrayList<>();
    long allocated = 0;
    boolean exact = ThreadMeters.allocationSupported();
    Map<String, Long> siteBytes = new java.util.HashMap<>();
    Map<Diagnoser.WaitKind, Long> waits = new java.util.EnumMap<>(Diagnoser.WaitKind.class);
    long goneBytes = 0;
    for (ThreadCensus.ThreadCounters end : after.threads().values()) {
      long id = end.id();
      if (!byId.test(id) && (id == callerId || !extraThreads.test(end.name()))) {
        continue;
      }
      ThreadCensus.ThreadCounters start = before.threads().get(id);
      long cpu = id == callerId && callerCpu >= 0 ? callerCpu : delta(end.cpuNanos(),
          start == null ? 0 : start.cpuNanos());
      long user = id == callerId ? measured.caller().userNanos() : delta(end.userNanos(),
          start == null ? 0 : start.userNanos());
      long alloc = id == callerId && callerAlloc >= 0 ? callerAlloc : delta(end.allocatedBytes(),
          start == null ? 0 : start.allocatedBytes());
      long blocked = delta(end.blockedNanos(), start == null ? 0 : start.blockedNanos());
      long waited = delta(end.waitedNanos(), start == null ? 0 : start.waitedNanos());
      JfrCapture.ThreadData jfr = data.threads.remove(id);
      long samples = jfr == null ? 0 : jfr.stacks.samples();
      boolean active = id == callerId || samples > 0 || cpu > 1_000_000 || blocked > 0
          || alloc > 64 * 1024
          || jfr != null && (!jfr.waits.isEmpty() || jfr.taskWaitNanos > 0); // it waited
      if (!active) {
        continue;
      }
      if (alloc >= 0) {
        allocated += alloc;
      } else {
        exact = false;
      }
      addSites(siteBytes, jfr, alloc);
      if (jfr != null) {
        jfr.waits.forEach((k, v) -> waits.merge(k, v, Long::sum));
      }
      threads.add(new Profile.ThreadProfile(id, end.name(), samples, cpu, alloc, blocked, waited,
          jfr == null ? List.of() : shares(StackTree.top(jfr.stacks.self(), top),
              jfr.stacks.samples()),
          jfr == null ? List.of() : shares(StackTree.top(jfr.stacks.cumulative(), top),
              jfr.stacks.samples())));
      long queue = id == callerId ? measured.caller().queueNanos()
          : queueNanos(measured.census(), jfr == null ? -1 : jfr.osThreadId, end.name(),
              start == null);
      times.add(new Diagnoser.ThreadTime(wall, Math.max(0, cpu), user, Math.max(0, blocked)
          + (jfr == null ? 0 : jfr.lockParkedNanos), queue, jfr == null ? 0 : jfr.taskWaitNanos));
    }
    // threads that ended inside the section: JFR is all we have
    for (JfrCapture.ThreadData gone : data.threads.values()) {
      long samples = gone.stacks.samples();
      exact = false;
      goneBytes += gone.allocationWeight;
      addSites(siteBytes, gone, -1); // started inside the section: nothing before it to carry
      gone.waits.forEach((k, v) -> waits.merge(k, v, Long::sum));
      OsThreads.Task last = measured.census().tasksAfter().get(gone.osThreadId);
      OsThreads.Task first = measured.census().tasksBefore().get(gone.osThreadId);
      long busy = last == null ? samples * period.toNanos()
          : Math.max(0, last.runNanos() - (first == null ? 0 : first.runNanos()));
      long queue = last == null ? -1
          : Math.max(0, last.queueNanos() - (first == null ? 0 : first.queueNanos()));
      threads.add(new Profile.ThreadProfile(gone.id, gone.name, samples, -1, -1, -1, -1,
          shares(StackTree.top(gone.stacks.self(), top), gone.stacks.samples()),
          shares(StackTree.top(gone.stacks.cumulative(), top), gone.stacks.samples())));
      long locked = gone.monitorBlockedNanos + gone.lockParkedNanos;
      // its time in the section: from its start (or the section's) to its end, as JFR saw them
      // (a thread that ended after the section, before the census, lived to its end)
      long lived = Duration.between(
          gone.startedAt == null || gone.startedAt.isBefore(measured.window().from())
              ? measured.window().from() : gone.startedAt,
          gone.endedAt == null ? measured.window().to() : gone.endedAt).toNanos();
      long accounted = busy + Math.max(0, queue) + locked;
      times.add(new Diagnoser.ThreadTime(Math.max(accounted, lived), busy, -1, locked, queue,
          gone.taskWaitNanos));
    }
    threads.sort(Comparator.comparingLong(Profile.ThreadProfile::samples).reversed()
        .thenComparing(t -> t.id() != callerId));
    long total = data.merged.samples();
    long sampledBytes = siteBytes.values().stream().mapToLong(Long::longValue).sum();
    List<MemoryProfile.AllocationSite> sites = new ArrayList<>();
    for (Map.Entry<String, Long> e : StackTree.top(siteBytes, top)) {
      sites.add(new MemoryProfile.AllocationSite(e.getKey(), e.getValue(),
          sampledBytes == 0 ? 0 : (double) e.getValue() / sampledBytes));
    }
    long gcNanos = Math.max(0, after.gcNanos() - before.gcNanos());
    long gcCount = Math.max(0, after.gcCount() - before.gcCount());
    long peak = Math.max(Math.max(heapStart, heapEnd), data.maxHeapUsedBeforeGc);
    MemoryProfile memory = new MemoryProfile(ThreadMeters.allocationSupported() ? allocated : -1,
        exact, sites, sampledBytes, heapStart, peak, heapEnd, gcCount, gcNanos);
    List<Profile.MethodShare> topSelf = shares(StackTree.top(data.merged.self(), top), total);
    Diagnosis diagnosis = Diagnoser.diagnose(new Diagnoser.Input(
        new Diagnoser.SectionTime(wall, times, gcNanos,
            collectorNanos(measured.census(), memory.allocatedBytes()), memory.allocatedBytes(),
            Runtime.getRuntime().availableProcessors(),
            allocationShare(measured.census(), memory.allocatedBytes(), goneBytes)),
        new Diagnoser.Hotspots(topSelf, sites,
            new Diagnoser.Contention(data.contendedMonitors, data.contendedLocks),
            new Diagnoser.Statements(statements(data.merged), total), new Diagnoser.Waits(waits),
            new Diagnoser.Heap(peak, MEMORY.getHeapMemoryUsage().getMax()), measured.rows())));
    ProfileParts.Flame flame = new ProfileParts.Flame(data.merged.folded(),
        data.merged.json(FlameGraph.MIN_SHARE), data.merged.self(), data.merged.cumulative());
    return new ProfileParts(name, new ProfileParts.Sampling(wall, period, total,
        data.nativeSamples,
        data.truncatedStacks), topSelf, shares(StackTree.top(data.merged.cumulative(), top), total),
        threads, memory, diagnosis, flame);
  }

  /** Statement executions outside batches: batched statements are already the remedy. */
  private static StackTree.Calls statements(StackTree tree) {
    JdbcFrames jdbc = new JdbcFrames();
    return tree.outermost(jdbc, jdbc.batch());
  }

  /**
   * Adds a thread's sampled allocation sites. A sample weighs the bytes the thread allocated since
   * its previous sample, so its earliest sample in the section also carries whatever it allocated
   * before the section began (a site that allocated 1% was once named the top site at 95%): where
   * the thread's exact bytes in the section are known, the later samples split them among the sites
   * (scaled to the exact total) and the earliest counts only when it is the only one.
   */
  private static void addSites(Map<String, Long> siteBytes, JfrCapture.ThreadData jfr,
      long exactBytes) {
    if (jfr == null) {
      if (exactBytes > 0) { // JFR took no allocation sample of it: its bytes are still real
        siteBytes.merge(UNSAMPLED_SITE, exactBytes, Long::sum);
      }
      return;
    }
    long later = 0;
    for (long bytes : jfr.allocationSites.values()) {
      later += bytes;
    }
    Map<String, Long> mine = new java.util.HashMap<>(jfr.allocationSites);
    if (jfr.firstSite != null) {
      // with exact bytes the later samples split them; the earliest counts only when alone
      long first = exactBytes < 0 ? jfr.firstWeight : later > 0 ? 0 : exactBytes;
      if (first > 0) {
        mine.merge(jfr.firstSite, first, Long::sum);
      }
    }
    long sampled = mine.values().stream().mapToLong(Long::longValue).sum();
    // scaled to the thread's exact bytes where known: the samples only split them among sites
    if (sampled == 0 && exactBytes > 0) {
      siteBytes.merge(UNSAMPLED_SITE, exactBytes, Long::sum);
      return;
    }
    double scale = exactBytes > 0 && sampled > 0 ? (double) exactBytes / sampled : 1;
    mine.forEach((site, bytes) -> siteBytes.merge(site, Math.round(bytes * scale), Long::sum));
  }

  /**
   * The site of the exact bytes of threads JFR took no allocation sample of (its allocation
   * sampling is throttled JVM-wide, so a thread that allocates for a fraction of a second beside a
   * busier one can get none): counted, so that the sampled sites' shares stay shares of everything.
   */
  static final String UNSAMPLED_SITE = "(not sampled: threads JFR took no allocation sample of)";

  /**
   * A thread's run-queue time in the section, from the kernel's tasks: found by the id JFR gave,
   * else by its name when exactly one task carries it (the kernel keeps 15 bytes of it); -1 when
   * not found. A thread that started inside the section counts all its queue time.
   */
  private static long queueNanos(Census census, long osThreadId, String name, boolean startedInside) {
    if (census.tasksAfter().isEmpty()) {
      return -1;
    }
    long tid = osThreadId;
    if (tid <= 0 || !census.tasksAfter().containsKey(tid)) {
      tid = -1;
      String kernelName = kernelName(name);
      for (OsThreads.Task t : census.tasksAfter().values()) {
        if (t.name().equals(kernelName)) {
          if (tid != -1) {
            return -1; // two tasks share the name: do not guess
          }
          tid = t.tid();
        }
      }
      if (tid == -1) {
        return -1;
      }
    }
    OsThreads.Task end = census.tasksAfter().get(tid);
    OsThreads.Task start = census.tasksBefore().get(tid);
    if (start == null) {
      return startedInside ? end.queueNanos() : -1;
    }
    return Math.max(0, end.queueNanos() - start.queueNanos());
  }

  /** The name the kernel keeps for a thread: its first 15 bytes of UTF-8. */
  private static String kernelName(String name) {
    byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (utf8.length <= 15) {
      return name;
    }
    return new String(utf8, 0, 15, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The section's threads' share of the bytes the whole JVM allocated during it, 0 to 1, or -1 when
   * unknown: collections work for every allocating thread, so the section owns this share of them.
   */
  private static double allocationShare(Census census, long sectionBytes, long goneBytes) {
    if (sectionBytes < 0) {
      return -1;
    }
    long jvmBytes = goneBytes; // threads of the section that ended: sampled, on both sides
    sectionBytes += goneBytes;
    for (ThreadCensus.ThreadCounters end : census.after().threads().values()) {
      ThreadCensus.ThreadCounters start = census.before().threads().get(end.id());
      long d = delta(end.allocatedBytes(), start == null ? 0 : start.allocatedBytes());
      if (d < 0) {
        return -1;
      }
      jvmBytes += d;
    }
    return jvmBytes <= 0 ? 1 : Math.min(1, (double) sectionBytes / Math.max(jvmBytes, sectionBytes));
  }

  /**
   * The collector threads' CPU time during the section, in the share of the JVM's allocation that
   * the section's threads made (the collector works for every allocating thread); -1 when unknown.
   */
  private static long collectorNanos(Census census, long sectionBytes) {
    if (census.tasksAfter().isEmpty() || sectionBytes < 0) {
      return -1;
    }
    long gc = 0;
    for (OsThreads.Task end : census.tasksAfter().values()) {
      if (OsThreads.isCollector(end.name())) {
        OsThreads.Task start = census.tasksBefore().get(end.tid());
        gc += Math.max(0, end.runNanos() - (start == null ? 0 : start.runNanos()));
      }
    }
    long jvmBytes = 0;
    for (ThreadCensus.ThreadCounters end : census.after().threads().values()) {
      ThreadCensus.ThreadCounters start = census.before().threads().get(end.id());
      long d = delta(end.allocatedBytes(), start == null ? 0 : start.allocatedBytes());
      if (d < 0) {
        return -1;
      }
      jvmBytes += d;
    }
    if (jvmBytes <= 0) {
      return 0;
    }
    return (long) (gc * Math.min(1.0, (double) sectionBytes / jvmBytes));
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
