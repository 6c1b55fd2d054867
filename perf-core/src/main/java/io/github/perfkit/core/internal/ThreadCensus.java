package io.github.perfkit.core.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-thread CPU time, allocated bytes, blocked and waited time of every live thread, and the
 * collectors' time, at one moment. Two censuses give a section's deltas. Thread-safe (each census
 * is immutable once taken); contention monitoring is switched on while any census user needs it.
 */
public final class ThreadCensus {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.ThreadMXBean HOTSPOT =
      THREADS instanceof com.sun.management.ThreadMXBean ? (com.sun.management.ThreadMXBean) THREADS
          : null;
  private static final AtomicInteger CONTENTION_USERS = new AtomicInteger();
  private static volatile boolean contentionEnabledByUs;

  /** One thread's counters; -1 where the JVM cannot tell. */
  public record ThreadCounters(long id, String name, long cpuNanos, long userNanos,
      long allocatedBytes, long blockedNanos, long waitedNanos) {}

  private final Map<Long, ThreadCounters> threads;
  private final long gcNanos;
  private final long gcCount;

  private ThreadCensus(Map<Long, ThreadCounters> threads, long gcNanos, long gcCount) {
    this.threads = threads;
    this.gcNanos = gcNanos;
    this.gcCount = gcCount;
  }

  /** Switches thread contention monitoring on (if supported) until {@link #releaseContention()}. */
  public static synchronized void acquireContention() {
    if (CONTENTION_USERS.getAndIncrement() == 0 && THREADS.isThreadContentionMonitoringSupported()
        && !THREADS.isThreadContentionMonitoringEnabled()) {
      THREADS.setThreadContentionMonitoringEnabled(true);
      contentionEnabledByUs = true;
    }
  }

  /** Undoes one {@link #acquireContention()}; the last one restores the JVM's setting. */
  public static synchronized void releaseContention() {
    if (CONTENTION_USERS.decrementAndGet() == 0 && contentionEnabledByUs) {
      THREADS.setThreadContentionMonitoringEnabled(false);
      contentionEnabledByUs = false;
    }
  }

  /** @return the counters of all live threads now */
  public static ThreadCensus take() {
    ThreadMeters.cpuSupported(); // enables CPU and allocation measurement once
    long[] ids = THREADS.getAllThreadIds();
    long[] cpu = HOTSPOT != null ? HOTSPOT.getThreadCpuTime(ids) : null;
    long[] alloc = HOTSPOT != null && ThreadMeters.allocationSupported()
        ? HOTSPOT.getThreadAllocatedBytes(ids) : null;
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    Map<Long, ThreadCounters> map = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      ThreadInfo info = infos[i];
      if (info == null) {
        continue; // ended meanwhile
      }
      long blocked = info.getBlockedTime();
      long waited = info.getWaitedTime();
      map.put(ids[i], new ThreadCounters(ids[i], info.getThreadName(),
          cpu == null ? THREADS.getThreadCpuTime(ids[i]) : cpu[i], userTime(ids[i]),
          alloc == null ? -1 : alloc[i],
          blocked < 0 ? -1 : blocked * 1_000_000, waited < 0 ? -1 : waited * 1_000_000));
    }
    long gcMillis = 0;
    long gcCount = 0;
    for (GarbageCollectorMXBean gc : pauseCollectors()) {
      gcMillis += Math.max(0, gc.getCollectionTime());
      gcCount += Math.max(0, gc.getCollectionCount());
    }
    return new ThreadCensus(map, gcMillis * 1_000_000, gcCount);
  }

  private static long userTime(long id) {
    try {
      return THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadUserTime(id) : -1;
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }

  /**
   * The collectors whose time stops application threads: with ZGC and Shenandoah the "Pauses" beans
   * (their "Cycles" beans count concurrent work), with G1 all but "G1 Concurrent GC".
   */
  private static List<GarbageCollectorMXBean> pauseCollectors() {
    List<GarbageCollectorMXBean> all = ManagementFactory.getGarbageCollectorMXBeans();
    List<GarbageCollectorMXBean> pauses = all.stream().filter(b -> b.getName().contains("Pauses"))
        .toList();
    if (!pauses.isEmpty()) {
      return pauses;
    }
    return all.stream().filter(b -> !b.getName().contains("Concurrent")).toList();
  }

  public Map<Long, ThreadCounters> threads() {
    return threads;
  }

  public long gcNanos() {
    return gcNanos;
  }

  public long gcCount() {
    return gcCount;
  }
}
