package io.github.perfkit.core;

import io.github.perfkit.core.internal.JfrSupport;
import io.github.perfkit.core.internal.ProfileSession;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Profiles one section of code in-process, the way Python's {@code cProfile} does, with JDK Flight
 * Recorder: where the CPU time went (top methods by self and by cumulative samples, merged and per
 * thread, and a flame graph), what the section allocated (exact bytes per thread, top allocation
 * sites, heap peak) and why it is slow (a {@link Diagnosis}: CPU-bound, waiting, GC pressure or lock
 * contention, with the evidence and the strategies that fit).
 *
 * <pre>{@code
 * Profile p = Profiler.named("nightly-import").profile(() -> importer.run(file));
 * System.out.print(p.text());                       // hot methods, memory, diagnosis
 * p.flameGraph().writeHtml(Path.of("import-flame.html"));
 * }</pre>
 *
 * <h2>Which threads</h2>
 * A profile covers the calling thread and every thread created while the section ran (thread ids
 * only grow, so "created during the section" is exact). Work handed to threads that existed before
 * (a shared pool, the common fork-join pool) is included with {@link Builder#includeThreads}, or take
 * every thread with {@link Builder#allThreads()}.
 *
 * <h2>Cost and limits</h2>
 * JFR's execution sampler walks the stacks of threads running Java code every sampling period
 * (default 10 ms); {@code ProfilerBenchmark} and {@code ProfilerOverhead} in perf-bench measure the
 * slowdown of a CPU-bound section: about 2-4% for sections of 0.4-3 s (README has the figures).
 * Starting and reading back the recording adds 10-30 ms per profile; the first profile in a JVM
 * also pays JFR's start-up (0.1-0.6 s). Samples see threads
 * running Java code and, unless {@link Builder#nativeSamples} is off, threads inside native methods
 * (an embedded database's JNI calls, a blocking native read); threads blocked on a lock, sleeping or
 * parked are not sampled: that time shows in the diagnosis.
 * Stacks deeper than JFR's stack depth (64 by default, {@code -XX:FlightRecorderOptions:stackdepth})
 * are cut and counted. Exact per-thread figures (CPU, allocation, blocked time) come from the
 * {@code ThreadMXBean} and cover threads still alive when the section ends; a thread that ended
 * inside the section appears through its JFR samples only.
 *
 * <p>A {@code Builder} is not thread-safe; {@link Builder#profile} may be called from any thread and
 * profiles may overlap (each keeps its own recording and thread scope).
 */
public final class Profiler {

  private Profiler() {}

  /**
   * Profiles a section with the default settings.
   *
   * @param section the code
   * @param <E> what the section may throw
   * @return the profile
   * @throws E whatever the section throws, unchanged (the profile is then discarded)
   * @throws ProfilerUnavailableException if JFR cannot be used in this JVM
   */
  public static <E extends Exception> Profile profile(CheckedRunnable<E> section) throws E {
    return named("section").profile(section);
  }

  /**
   * Starts configuring a profile.
   *
   * @param name names the profile in reports
   * @return a builder
   */
  public static Builder named(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return new Builder(name);
  }

  /** @return {@code true} when {@link Builder#profile} can run in this JVM */
  public static boolean isAvailable() {
    return JfrSupport.unavailableReason() == null;
  }

  /** Settings of a profile. Not thread-safe; the settings are copied when a profile starts. */
  public static final class Builder {
    private final String name;
    private Duration samplingPeriod = Duration.ofMillis(10);
    private int top = 20;
    private boolean allocations = true;
    private boolean nativeSamples = true;
    private boolean allThreads;
    private Predicate<String> extraThreads = n -> false;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * @param period time between two execution samples of a thread, 1 ms to 1 s (default 10 ms;
     *     shorter gives more samples and costs more)
     * @return this builder
     */
    public Builder samplingPeriod(Duration period) {
      Objects.requireNonNull(period, "period");
      if (period.compareTo(Duration.ofMillis(1)) < 0 || period.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("period must be between 1 ms and 1 s but was " + period);
      }
      this.samplingPeriod = period;
      return this;
    }

    /**
     * @param n how many methods the top lists keep, 1 to 1,000 (default 20)
     * @return this builder
     */
    public Builder top(int n) {
      if (n < 1 || n > 1_000) {
        throw new IllegalArgumentException("n must be between 1 and 1000 but was " + n);
      }
      this.top = n;
      return this;
    }

    /**
     * @param enabled whether to sample allocation sites with JFR (default on; the exact byte counts
     *     per thread are measured either way)
     * @return this builder
     */
    public Builder allocationSites(boolean enabled) {
      this.allocations = enabled;
      return this;
    }

    /**
     * @param enabled whether to sample threads inside native methods too (default on): JNI work such
     *     as an embedded database's, or a native call that blocks. Such samples are wall-clock time
     *     in the native method, counted with the Java samples; {@link Profile#nativeSamples()} says
     *     how many there were. Off: the profile is of Java code running on CPU only.
     * @return this builder
     */
    public Builder nativeSamples(boolean enabled) {
      this.nativeSamples = enabled;
      return this;
    }

    /**
     * Also profiles threads whose name matches, such as a pool the section hands work to.
     *
     * @param threadName tested against thread names
     * @return this builder
     */
    public Builder includeThreads(Predicate<String> threadName) {
      Objects.requireNonNull(threadName, "threadName");
      Predicate<String> before = extraThreads;
      this.extraThreads = n -> before.test(n) || threadName.test(n);
      return this;
    }

    /**
     * Profiles every thread of the JVM while the section runs, not only the section's.
     *
     * @return this builder
     */
    public Builder allThreads() {
      this.allThreads = true;
      return this;
    }

    /**
     * Runs the section on the calling thread under a JFR recording.
     *
     * @param section the code
     * @param <E> what the section may throw
     * @return the profile
     * @throws E whatever the section throws, unchanged
     * @throws ProfilerUnavailableException if JFR cannot be used in this JVM
     */
    public <E extends Exception> Profile profile(CheckedRunnable<E> section) throws E {
      Objects.requireNonNull(section, "section");
      String reason = JfrSupport.unavailableReason();
      if (reason != null) {
        throw new ProfilerUnavailableException(reason);
      }
      return ProfileSession.run(name, samplingPeriod, top, allocations, nativeSamples, allThreads,
          extraThreads, section);
    }
  }
}
