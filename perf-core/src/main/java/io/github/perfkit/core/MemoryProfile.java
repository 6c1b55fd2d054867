package io.github.perfkit.core;

import io.github.perfkit.core.internal.Format;
import io.github.perfkit.core.internal.Json;
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
 *       Where a thread's exact bytes are known, its samples after the first split them among the
 *       sites, scaled to the exact total: the earliest sample also weighs bytes allocated before the
 *       section, so it counts only when it is the thread's only one.
 *   <li>{@code heapPeakBytes}: the heap in use is highest just before a collection or at the end,
 *       since between collections it only grows; this is the largest "before GC" heap of JFR's heap
 *       summaries during the section, or the heap at its start or end if larger.
 * </ul>
 *
 * @param allocatedBytes bytes allocated by the section's threads, or -1 when unknown
 * @param exact whether every thread of the section was counted
 * @param topSites largest allocation sites first
 * @param sampledBytes the sites' estimated bytes in all (their shares' denominator): the samples'
 *     weights, scaled to each thread's exact bytes where those are known; the exact bytes of a
 *     thread JFR took no allocation sample of count under the site
 *     {@code (not sampled: threads JFR took no allocation sample of)}
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

  /** @return the memory part of a profile's text report, a few lines for logs */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Memory: allocated %s%s; heap %s at start, peak %s, %s at"
        + " end; %d GC(s), %s paused%n",
        allocatedBytes < 0 ? "n/a" : bytes(allocatedBytes), exact ? "" : " (not every thread)",
        bytes(heapUsedAtStartBytes), bytes(heapPeakBytes), bytes(heapUsedAtEndBytes), gcCount,
        Format.duration(gcPauseNanos)));
    if (!topSites.isEmpty()) {
      out.append("Top allocation sites (sampled):\n");
      for (AllocationSite s : topSites) {
        out.append(String.format(Locale.ROOT, "  %5.1f%% %10s  %s%n", s.share() * 100,
            bytes(s.estimatedBytes()), s.site()));
      }
    }
    return out.toString();
  }

  /**
   * @return the same figures as {@link #text()} in Markdown: a heading, a table of the figures and,
   *     when JFR sampled allocations, a table of the top sites
   */
  public String markdown() {
    StringBuilder out = new StringBuilder("## Memory\n\n| figure | value |\n|---|---:|\n");
    out.append("| allocated | ").append(allocatedBytes < 0 ? "n/a" : bytes(allocatedBytes))
        .append(exact ? "" : " (not every thread)").append(" |\n");
    out.append("| heap at start | ").append(bytes(heapUsedAtStartBytes)).append(" |\n");
    out.append("| heap peak | ").append(bytes(heapPeakBytes)).append(" |\n");
    out.append("| heap at end | ").append(bytes(heapUsedAtEndBytes)).append(" |\n");
    out.append("| GCs | ").append(gcCount).append(" |\n");
    out.append("| GC pauses | ").append(Format.duration(gcPauseNanos)).append(" |\n");
    if (!topSites.isEmpty()) {
      out.append("\n| share | sampled | allocation site |\n|---:|---:|---|\n");
      for (AllocationSite s : topSites) {
        out.append(String.format(Locale.ROOT, "| %.1f%% | %s | `%s` |%n", s.share() * 100,
            bytes(s.estimatedBytes()), s.site().replace("`", "'")));
      }
    }
    return out.toString();
  }

  /**
   * @return JSON, schema {@code perfkit.memory/1}: every component of this record by its name
   *     (bytes as integers, {@code gcPauseNanos} in nanoseconds) and {@code topSites}
   *     ({@code site, estimatedBytes, share})
   */
  public String json() {
    Json json = new Json().beginObject().field("schema", "perfkit.memory/1")
        .field("allocatedBytes", allocatedBytes).field("exact", exact)
        .field("sampledBytes", sampledBytes).field("heapUsedAtStartBytes", heapUsedAtStartBytes)
        .field("heapPeakBytes", heapPeakBytes).field("heapUsedAtEndBytes", heapUsedAtEndBytes)
        .field("gcCount", gcCount).field("gcPauseNanos", gcPauseNanos).beginArray("topSites");
    for (AllocationSite site : topSites) {
      json.beginObject().field("site", site.site()).field("estimatedBytes", site.estimatedBytes())
          .field("share", site.share()).endObject();
    }
    return json.endArray().endObject().toString();
  }

  static String bytes(long bytes) {
    return bytes < 0 ? "n/a" : Format.bytes(bytes);
  }
}
