package io.github.perfkit.core.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The current thread's CPU time and allocated bytes, when the JVM offers them (HotSpot does; -1 when
 * not). Stateless and thread-safe.
 */
public final class ThreadMeters {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.ThreadMXBean HOTSPOT =
      THREADS instanceof com.sun.management.ThreadMXBean ? (com.sun.management.ThreadMXBean) THREADS
          : null;
  private static final boolean CPU = enableCpu();
  private static final boolean ALLOCATION = enableAllocation();

  private ThreadMeters() {}

  private static boolean enableCpu() {
    try {
      if (!THREADS.isCurrentThreadCpuTimeSupported()) {
        return false;
      }
      if (!THREADS.isThreadCpuTimeEnabled()) {
        THREADS.setThreadCpuTimeEnabled(true);
      }
      return true;
    } catch (UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  private static boolean enableAllocation() {
    try {
      if (HOTSPOT == null || !HOTSPOT.isThreadAllocatedMemorySupported()) {
        return false;
      }
      if (!HOTSPOT.isThreadAllocatedMemoryEnabled()) {
        HOTSPOT.setThreadAllocatedMemoryEnabled(true);
      }
      return true;
    } catch (UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** @return whether {@link #cpuNanos()} measures */
  public static boolean cpuSupported() {
    return CPU;
  }

  /** @return whether {@link #allocatedBytes()} measures */
  public static boolean allocationSupported() {
    return ALLOCATION;
  }

  /** @return the current thread's CPU time (user + system) in nanoseconds, or -1 */
  public static long cpuNanos() {
    return CPU ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  /** @return the current thread's user-mode CPU time in nanoseconds, or -1 */
  public static long userNanos() {
    return CPU ? THREADS.getCurrentThreadUserTime() : -1;
  }

  /** @return bytes the current thread allocated since it started, or -1 */
  public static long allocatedBytes() {
    if (!ALLOCATION) {
      return -1;
    }
    return HOTSPOT.getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
