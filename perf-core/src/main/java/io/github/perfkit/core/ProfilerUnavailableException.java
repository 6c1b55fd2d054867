package io.github.perfkit.core;

/**
 * Thrown by {@link Profiler} when JDK Flight Recorder cannot be used in this JVM (the
 * {@code jdk.jfr} module is missing from the runtime image or the module graph, or JFR is disabled).
 * The message says which, and what to change.
 */
public final class ProfilerUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * @param reason why JFR cannot be used
   */
  public ProfilerUnavailableException(String reason) {
    super("perfkit Profiler needs JDK Flight Recorder: " + reason
        + ". Timers, stage breakdowns and Compare work without it.");
  }
}
