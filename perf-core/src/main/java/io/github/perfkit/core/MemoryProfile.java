package io.github.perfkit.core;

import java.util.List;
import java.util.Locale;

/**
 * What a profiled section did to memory, in the spirit of Python's {@code memory_profiler}.
 * Immutable.
 *
 * <ul>
 *   <li>{@code allocatedBytes}: exact, from the JVM's per-thread allocation counters
 *       ({@code com.sun.management.ThreadMXBean}), summed over the section's threads that were still
 *       alive at its end ({@code exact} is false when some ended earlier, or the JVM cannot count).
 *   <li>{@code topSites}: where the bytes were allocated, estimated from JFR's throttled allocation
 *       samples (each sample weighs the bytes allocated since the previous one in its thread).
 *   <li>{@code heapPeakBytes}: the heap in use is highest just before a collection or at the end,
 *       since between collections it only grows; this is the largest "before GC" heap of JFR's heap
 *       summaries during the section, or the heap at its start or end if larger.
 * </ul>
 *
 * @param allocatedBytes bytes allocated by the section's threads, or -1 when unknown
 * @param exact whether every thread of the section was counted
 * @param topSites largest allocation sites first
 * @param sampledBytes the total weight of the allocation samples (the sites' denominator)
 * @param heapUsedAtStartBytes heap in use when the section started
 * @param heapPeakBytes highest heap in use seen during the section
 * @param heapUsedAtEndBytes heap in use when it ended
 * @param gcCount collections during the section (all threads of the JVM)
 * @param gcPauseNanos time in collections that stop application threads
 */
public record MemoryProfile(long allocatedBytes, boolean exact, List<AllocationSite> topSites,
    long sampledBytes, long heapUsedAtStartBytes, long heapPeakBytes, long heapUsedAtEndBytes,
    long gcCount, long gcPauseNanos) {

  /** Copies the list. */
  public MemoryProfile {
    topSites = List.copyOf(topSites);
  }

  /**
   * One allocation site.
   *
   * @param site {@code type @ method}; when the allocating method is in the JDK, the first caller
   *     outside it, with the JDK method in parentheses
   * @param estimatedBytes the weight of its samples
   * @param share its share of all sampled bytes
   */
  public record AllocationSite(String site, long estimatedBytes, double share) {}

  /** @return the memory part of a profile's text report */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Memory: allocated %s%s; heap %s at start, peak %s, %s at"
        + " end; %d GC(s), %s paused%n",
        allocatedBytes < 0 ? "n/a" : bytes(allocatedBytes), exact ? "" : " (not every thread)",
        bytes(heapUsedAtStartBytes), bytes(heapPeakBytes), bytes(heapUsedAtEndBytes), gcCount,
        Reports.duration(gcPauseNanos)));
    if (!topSites.isEmpty()) {
      out.append("Top allocation sites (sampled):\n");
      for (AllocationSite s : topSites) {
        out.append(String.format(Locale.ROOT, "  %5.1f%% %10s  %s%n", s.share() * 100,
            bytes(s.estimatedBytes()), s.site()));
      }
    }
    return out.toString();
  }

  static String bytes(long bytes) {
    return bytes < 0 ? "n/a" : Reports.bytes(bytes);
  }
}
