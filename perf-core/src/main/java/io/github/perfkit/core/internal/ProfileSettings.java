package io.github.perfkit.core.internal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What one profile records, as {@code Profiler}'s builder set it. Immutable (the event set is
 * copied); the thread predicate must be thread-safe, as the user's predicate is tested on the
 * thread that reads the recording back.
 *
 * @param name names the profile in reports
 * @param period time between two execution samples of a thread
 * @param top how many methods and sites the top lists keep
 * @param events the optional JFR events to record
 * @param threads which threads besides the section's own are profiled
 */
public record ProfileSettings(String name, Duration period, int top, Set<Event> events,
    ThreadScope threads) {

  /** Validates and copies. */
  public ProfileSettings {
    Require.notBlank(name, "name");
    Require.positive(period, "period");
    Require.positive(top, "top");
    events = events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
    Require.notNull(threads, "threads");
  }

  /** Optional JFR events. */
  public enum Event {
    /** JFR's throttled allocation samples, for the top allocation sites. */
    ALLOCATION_SITES,
    /** Samples of threads inside native methods, besides those running Java code. */
    NATIVE_SAMPLES
  }

  /**
   * The threads a profile covers besides those the section creates.
   *
   * @param all every thread of the JVM
   * @param extra threads whose name matches, e.g. a pool the section hands work to
   * @param caller whether the calling thread is covered (it is unless
   *     {@code Profiler.Builder.excludeCallingThread()}); its clock times the section either way
   */
  public record ThreadScope(boolean all, Predicate<String> extra, boolean caller) {

    /** Validates. */
    public ThreadScope {
      Require.notNull(extra, "extra");
    }

    /**
     * A scope that covers the calling thread.
     *
     * @param all every thread of the JVM
     * @param extra threads whose name matches
     */
    public ThreadScope(boolean all, Predicate<String> extra) {
      this(all, extra, true);
    }
  }

  /**
   * @param event an optional event
   * @return whether it is recorded
   */
  public boolean records(Event event) {
    return events.contains(event);
  }
}
