package io.github.perfkit.core;

import io.github.perfkit.core.internal.Format;
import io.github.perfkit.core.internal.Json;
import io.github.perfkit.core.internal.ProfileParts;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link Profiler} found in one section: hot methods, threads, memory and the diagnosis.
 * Immutable and thread-safe.
 *
 * <p>Stacks start at the section: the caller's frames below it (and the profiler's) are cut off.
 * Method names are {@code fully.qualified.Class.method} (no signature; lambda classes lose their
 * generated suffix). A method's <em>self</em> share is the fraction of execution samples in which
 * it was the executing frame; its <em>cumulative</em> share the fraction in which it was anywhere on
 * the stack (counted once per sample even when recursive).
 */
public final class Profile {

  /**
   * One method's samples.
   *
   * @param method {@code fully.qualified.Class.method}
   * @param samples samples that count for it
   * @param share samples / all samples of the scope (0 to 1)
   */
  public record MethodShare(String method, long samples, double share) {}

  /**
   * One thread of the section.
   *
   * @param id the Java thread id
   * @param name the thread's name
   * @param samples execution samples taken in it
   * @param cpuNanos CPU time during the section, or -1 if the thread ended first
   * @param allocatedBytes exact bytes allocated during the section, or -1 if the thread ended first
   * @param blockedNanos time blocked entering monitors, or -1 where unknown
   * @param waitedNanos time in {@code WAITING}/{@code TIMED_WAITING}, or -1 where unknown
   * @param topSelf its hottest methods by self samples (shares of this thread's samples)
   * @param topCumulative its hottest methods by cumulative samples (shares of this thread's samples)
   */
  public record ThreadProfile(long id, String name, long samples, long cpuNanos,
      long allocatedBytes, long blockedNanos, long waitedNanos, List<MethodShare> topSelf,
      List<MethodShare> topCumulative) {

    /** Copies the lists. */
    public ThreadProfile {
      topSelf = List.copyOf(topSelf);
      topCumulative = List.copyOf(topCumulative);
    }
  }

  private final String name;
  private final long wallNanos;
  private final Duration samplingPeriod;
  private final long samples;
  private final long nativeSamples;
  private final long truncatedStacks;
  private final List<MethodShare> topSelf;
  private final List<MethodShare> topCumulative;
  private final List<ThreadProfile> threads;
  private final MemoryProfile memory;
  private final Diagnosis diagnosis;
  private final FlameGraph flameGraph;

  /** Made by {@link Profiler} from what its session measured. */
  Profile(ProfileParts parts) {
    this.name = parts.name();
    this.wallNanos = parts.sampling().wallNanos();
    this.samplingPeriod = parts.sampling().period();
    this.samples = parts.sampling().samples();
    this.nativeSamples = parts.sampling().nativeSamples();
    this.truncatedStacks = parts.sampling().truncatedStacks();
    this.topSelf = parts.topSelf();
    this.topCumulative = parts.topCumulative();
    this.threads = parts.threads();
    this.memory = parts.memory();
    this.diagnosis = parts.diagnosis();
    this.flameGraph = new FlameGraph(parts.name(), parts.flame());
  }

  /** @return the profile's name */
  public String name() {
    return name;
  }

  /** @return the section's wall-clock time in nanoseconds */
  public long wallNanos() {
    return wallNanos;
  }

  /** @return the sampling period used */
  public Duration samplingPeriod() {
    return samplingPeriod;
  }

  /** @return execution samples of the threads in scope */
  public long samples() {
    return samples;
  }

  /** @return of {@link #samples()}, those of a thread inside a native method (wall-clock time) */
  public long nativeSamples() {
    return nativeSamples;
  }

  /** @return samples whose stack JFR cut at its stack depth (their roots are missing) */
  public long truncatedStacks() {
    return truncatedStacks;
  }

  /** @return hottest methods by self samples, all threads of the section merged */
  public List<MethodShare> topSelf() {
    return topSelf;
  }

  /** @return hottest methods by cumulative samples (on the stack anywhere), merged */
  public List<MethodShare> topCumulative() {
    return topCumulative;
  }

  /** @return the section's threads, most samples first */
  public List<ThreadProfile> threads() {
    return threads;
  }

  /** @return allocation and heap figures */
  public MemoryProfile memory() {
    return memory;
  }

  /** @return why the section takes its time */
  public Diagnosis diagnosis() {
    return diagnosis;
  }

  /** @return the merged call tree, as folded stacks or a self-contained HTML flame graph */
  public FlameGraph flameGraph() {
    return flameGraph;
  }

  /**
   * The self share of a method, from the merged call tree (not limited to the top list).
   *
   * @param method {@code fully.qualified.Class.method}
   * @return its share of samples as the executing frame, 0 to 1
   */
  public double selfShare(String method) {
    Objects.requireNonNull(method, "method");
    return samples == 0 ? 0 : (double) flameGraph.selfSamples(method) / samples;
  }

  /**
   * The cumulative share of a method.
   *
   * @param method {@code fully.qualified.Class.method}
   * @return its share of samples anywhere on the stack, 0 to 1
   */
  public double cumulativeShare(String method) {
    Objects.requireNonNull(method, "method");
    return samples == 0 ? 0 : (double) flameGraph.cumulativeSamples(method) / samples;
  }

  /** @return a report for logs: hot methods, threads, memory, diagnosis */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Profile '%s': %s wall, %d samples (%d in native code)"
        + " every %s ms in %d thread(s)%s%n", name, Format.duration(wallNanos), samples,
        nativeSamples, samplingPeriod.toMillis(), threads.size(),
        truncatedStacks > 0 ? ", " + truncatedStacks + " truncated stacks" : ""));
    out.append("(samples cover threads running Java code or inside native methods; time blocked,"
        + " sleeping or parked is not sampled: the diagnosis accounts for it)\n");
    methods(out, "Top methods by self time", topSelf);
    methods(out, "Top methods by cumulative time", topCumulative);
    if (threads.size() > 1) {
      out.append("Threads:\n");
      for (ThreadProfile t : threads) {
        out.append(String.format(Locale.ROOT, "  %-32s %6d samples  cpu %10s  allocated %10s%n",
            t.name(), t.samples(), t.cpuNanos() < 0 ? "n/a" : Format.duration(t.cpuNanos()),
            t.allocatedBytes() < 0 ? "n/a" : MemoryProfile.bytes(t.allocatedBytes())));
      }
    }
    out.append(memory.text());
    out.append(diagnosis.text());
    return out.toString();
  }

  /**
   * @return the same report as {@link #text()} in Markdown: a heading, the hot methods as a table,
   *     then the diagnosis and the memory figures as subsections
   */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "## Profile `%s`%n%n%s wall, %d samples every %d ms in %d"
        + " thread(s)%n%n", name, Format.duration(wallNanos), samples, samplingPeriod.toMillis(),
        threads.size()));
    out.append("| self | cumulative | method |\n|---:|---:|---|\n");
    for (MethodShare m : topSelf) {
      out.append(String.format(Locale.ROOT, "| %.1f%% | %.1f%% | `%s` |%n", m.share() * 100,
          cumulativeShare(m.method()) * 100, m.method()));
    }
    out.append('\n').append(diagnosis.markdown().replaceFirst("^## ", "### "))
        .append('\n').append(memory.markdown().replaceFirst("^## ", "### "));
    return out.toString();
  }

  /**
   * @return JSON, schema {@code perfkit.profile/1}: name, wallNanos, samplingPeriodNanos, samples,
   *     topSelf and topCumulative ({@code method, samples, share}), threads, memory (with
   *     topSites), diagnosis ({@code bottleneck}, {@code runnerUp} or null, {@code headline},
   *     evidence figures, findings, strategies) and the flame graph tree ({@code flame}:
   *     {@code {"n","v","c"}})
   */
  public String json() {
    Json json = new Json().beginObject().field("schema", "perfkit.profile/1").field("name", name)
        .field("wallNanos", wallNanos).field("samplingPeriodNanos", samplingPeriod.toNanos())
        .field("samples", samples).field("nativeSamples", nativeSamples)
        .field("truncatedStacks", truncatedStacks);
    shares(json, "topSelf", topSelf);
    shares(json, "topCumulative", topCumulative);
    json.beginArray("threads");
    for (ThreadProfile t : threads) {
      json.beginObject().field("id", t.id()).field("name", t.name()).field("samples", t.samples())
          .field("cpuNanos", t.cpuNanos()).field("allocatedBytes", t.allocatedBytes())
          .field("blockedNanos", t.blockedNanos()).field("waitedNanos", t.waitedNanos());
      shares(json, "topSelf", t.topSelf());
      shares(json, "topCumulative", t.topCumulative());
      json.endObject();
    }
    json.endArray();
    json.raw("memory", memory.json()).raw("diagnosis", diagnosis.json())
        .raw("flame", flameGraph.json());
    return json.endObject().toString();
  }

  private static void shares(Json json, String field, List<MethodShare> list) {
    json.beginArray(field);
    for (MethodShare m : list) {
      json.beginObject().field("method", m.method()).field("samples", m.samples())
          .field("share", m.share()).endObject();
    }
    json.endArray();
  }

  private static void methods(StringBuilder out, String title, List<MethodShare> list) {
    out.append(title).append(":\n");
    if (list.isEmpty()) {
      out.append("  (no samples: the section ran no Java code long enough to be sampled)\n");
    }
    for (MethodShare m : list) {
      out.append(String.format(Locale.ROOT, "  %5.1f%% %6d  %s%n", m.share() * 100, m.samples(),
          m.method()));
    }
  }

  @Override
  public String toString() {
    return "Profile[" + name + ", " + Format.duration(wallNanos) + ", " + samples + " samples, "
        + diagnosis.bottleneck() + "]";
  }
}
