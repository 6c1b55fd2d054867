package io.github.perfkit.core;

import io.github.perfkit.core.internal.JfrSupport;
import io.github.perfkit.core.internal.ProfileSession;
import io.github.perfkit.core.internal.ProfileSettings;
import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Profiles one section of code in-process, the way Python's {@code cProfile} does, with JDK Flight
 * Recorder: where the CPU time went (top methods by self and by cumulative samples, merged and per
 * thread, and a flame graph), what the section allocated (exact bytes per thread, top allocation
 * sites, heap peak) and why it is slow (a {@link Diagnosis}: CPU-bound, waiting, GC pressure or lock
 * contention, with the evidence and the strategies that fit).
 *
 * <pre>{@code
 * Profiler profiler = Profiler.named("nightly-import").samplingPeriod(Duration.ofMillis(5))
 *     .build();
 * Profile p = profiler.profile(() -> importer.run(file));
 * System.out.print(p.text());                       // hot methods, memory, diagnosis
 * p.flameGraph().writeHtml(Path.of("import-flame.html"));
 * }</pre>
 *
 * <h2>Which threads</h2>
 * A profile covers the calling thread and every thread created while the section ran (thread ids
 * only grow, so "created during the section" is exact). Work handed to threads that existed before
 * (a shared pool, the common fork-join pool) is included with {@link Builder#includeThreads}, or take
 * every thread with {@link Builder#allThreads()}. A calling thread that only waits out the section
 * can be left out with {@link Builder#excludeCallingThread()}.
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
 * <p>A {@code Builder} is not thread-safe; a built {@code Profiler} is immutable, and
 * {@link #profile} may be called from any thread, any number of times; profiles may overlap (each
 * keeps its own recording and thread scope). {@link #defaults()} is a profiler with the default
 * settings.
 */
public final class Profiler {

  private static final Profiler DEFAULTS = named("section").build();

  private final ProfileSettings settings;

  private Profiler(ProfileSettings settings) {
    this.settings = settings;
  }

  /**
   * A profiler with the default settings (named "section", 10 ms sampling, top 20, allocation sites
   * and native samples on, the section's own threads). Shared; immutable.
   *
   * <pre>{@code
   * Profile p = Profiler.defaults().profile(() -> work());
   * }</pre>
   *
   * @return the default profiler
   */
  public static Profiler defaults() {
    return DEFAULTS;
  }

  /**
   * Starts configuring a profiler.
   *
   * @param name names the profiles in reports
   * @return a builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder named(String name) {
    return new Builder(Require.notBlank(name, "name"));
  }

  /** @return {@code true} when {@link #profile} can run in this JVM */
  public static boolean isAvailable() {
    return JfrSupport.unavailableReason() == null;
  }

  /** @return the name its profiles carry */
  public String name() {
    return settings.name();
  }

  /**
   * Runs the section on the calling thread under a JFR recording.
   *
   * @param section the code
   * @param <E> what the section may throw
   * @return the profile
   * @throws E whatever the section throws, unchanged (the profile is then discarded)
   * @throws ProfilerUnavailableException if JFR cannot be used in this JVM
   */
  public <E extends Exception> Profile profile(CheckedRunnable<E> section) throws E {
    Require.notNull(section, "section");
    String reason = JfrSupport.unavailableReason();
    if (reason != null) {
      throw new ProfilerUnavailableException(reason);
    }
    return new Profile(ProfileSession.run(settings, section));
  }

  @Override
  public String toString() {
    return "Profiler[" + settings.name() + ", every " + settings.period().toMillis() + " ms]";
  }

  /**
   * Settings of a profiler. Each setting may be made once. Not thread-safe; {@link #build()}
   * copies, so a builder can be reused.
   */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private final String name;
    private Duration samplingPeriod = Duration.ofMillis(10);
    private int top = 20;
    private boolean allocations = true;
    private boolean nativeSamples = true;
    private boolean allThreads;
    private boolean callingThread = true;
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
      set.mark("samplingPeriod");
      Require.notNull(period, "period");
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
      set.mark("top");
      this.top = Require.inRange(n, 1, 1_000, "n");
      return this;
    }

    /**
     * @param enabled whether to sample allocation sites with JFR (default on; the exact byte counts
     *     per thread are measured either way)
     * @return this builder
     */
    public Builder allocationSites(boolean enabled) {
      set.mark("allocationSites");
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
      set.mark("nativeSamples");
      this.nativeSamples = enabled;
      return this;
    }

    /**
     * Also profiles threads whose name matches, such as a pool the section hands work to. Combine
     * several pools in one predicate ({@code Predicate.or}); not with {@link #allThreads()}.
     *
     * @param threadName tested against thread names; must be thread-safe
     * @return this builder
     */
    public Builder includeThreads(Predicate<String> threadName) {
      set.mark("includeThreads");
      this.extraThreads = Require.notNull(threadName, "threadName");
      return this;
    }

    /**
     * Profiles every thread of the JVM while the section runs, not only the section's.
     *
     * @return this builder
     */
    public Builder allThreads() {
      set.mark("allThreads");
      this.allThreads = true;
      return this;
    }

    /**
     * Leaves the calling thread out of the profile: its samples, its figures and the diagnosis.
     * For a caller that only times the section while threads it did not start do the work, such
     * as an endpoint that sleeps for the requested duration with {@link #allThreads()} or
     * {@link #includeThreads}: counted, its sleep reads as waiting and dilutes a CPU-bound
     * verdict. The section's wall time is still measured on the calling thread.
     *
     * @return this builder
     */
    public Builder excludeCallingThread() {
      set.mark("excludeCallingThread");
      this.callingThread = false;
      return this;
    }

    /**
     * Creates the profiler (a copy of these settings).
     *
     * @return an immutable profiler
     * @throws IllegalStateException if both {@link #allThreads()} and {@link #includeThreads} were
     *     set (every thread already includes them)
     */
    public Profiler build() {
      Require.state(!(allThreads && set.isSet("includeThreads")),
          "includeThreads(...) has no effect with allThreads(): set one of them");
      Set<ProfileSettings.Event> events = EnumSet.noneOf(ProfileSettings.Event.class);
      if (allocations) {
        events.add(ProfileSettings.Event.ALLOCATION_SITES);
      }
      if (nativeSamples) {
        events.add(ProfileSettings.Event.NATIVE_SAMPLES);
      }
      return new Profiler(new ProfileSettings(name, samplingPeriod, top, events,
          new ProfileSettings.ThreadScope(allThreads, extraThreads, callingThread)));
    }
  }
}
